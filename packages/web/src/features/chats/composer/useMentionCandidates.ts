import type { Conversation } from '@zhixin/sdk';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useChatState } from '../../../data/chat-state.ts';
import { usePeople } from '../../../data/people.ts';
import { matchesQuery } from '../lib/mentions.ts';

export interface Candidate {
  userId: string;
  /** Shown in the picker: remark first. */
  label: string;
  /** Inserted after '@': the nickname everyone sees. */
  name: string;
}

/** Group members to mention (not me), "everyone" first for the owner and admins. */
export function useMentionCandidates(c: Conversation, myId: string, query: string | null): Candidate[] {
  const { t } = useTranslation('chats');
  const members = useChatState((s) => s.members[c.id]);
  const profiles = usePeople((s) => s.profiles);
  const remarks = usePeople((s) => s.remarks);
  return useMemo(() => {
    if (c.kind !== 'group' || query === null) return [];
    const list: Candidate[] = [];
    if (c.role === 'owner' || c.role === 'admin')
      list.push({ userId: 'all', label: t('mention.all'), name: t('mention.all') });
    for (const m of members ?? []) {
      if (m.userId === myId) continue;
      const nickname = profiles[m.userId]?.nickname ?? m.userId.slice(-6);
      const remark = remarks[m.userId];
      list.push({ userId: m.userId, label: remark ? `${remark} (${nickname})` : nickname, name: nickname });
    }
    return list.filter((x) => matchesQuery(x.label, query)).slice(0, 50);
  }, [c.kind, c.role, query, members, profiles, remarks, myId, t]);
}
