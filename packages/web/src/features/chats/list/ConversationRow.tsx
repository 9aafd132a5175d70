import type { Conversation } from '@zhixin/sdk';
import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import { activityAt, unreadMark } from '../../../data/conversation-math.ts';
import { displayNameOf, usePeople } from '../../../data/people.ts';
import { ConversationAvatar } from '../ConversationAvatar.tsx';
import { ConversationBadges } from '../ConversationBadges.tsx';
import { useConversationTitle, useMyId, useNowMinute, useTimeLanguage } from '../hooks.ts';
import { previewOf } from '../lib/preview.ts';
import { formatTime } from '../lib/time.ts';
import { MutedIcon } from './MutedIcon.tsx';

interface RowProps {
  conversation: Conversation;
  active: boolean;
  onOpen: (id: string) => void;
}

/**
 * One conversation in the list: avatar, name and badges, time, preview, unread mark (a number, or a
 * dot when muted or an announcement channel), muted mark.
 */
export const ConversationRow = memo(function ConversationRow({ conversation: c, active, onOpen }: RowProps) {
  const { t } = useTranslation('chats');
  const myId = useMyId();
  const title = useConversationTitle(c);
  const now = useNowMinute();
  const language = useTimeLanguage();
  // Re-render when a sender's name arrives (group previews name the sender).
  usePeople((s) => (c.lastMessage ? s.profiles[c.lastMessage.senderId]?.nickname : undefined));
  // The chat being typed in shows no draft marker for itself; other rows (and devices) do.
  const shown = active && c.me.draft ? { ...c, me: { ...c.me, draft: null } } : c;
  const preview = previewOf(shown, {
    myId,
    nameOf: displayNameOf,
    t: (key, options) => t(key, options ?? {}),
  });
  const activity = activityAt(c);
  const mark = unreadMark(c);
  const className = ['zx-conv-row', c.me.pinned && 'zx-conv-row-pinned', active && 'zx-conv-row-active']
    .filter(Boolean)
    .join(' ');
  return (
    <div
      className={className}
      data-testid="conversation-item"
      data-conversation-id={c.id}
      data-kind={c.kind}
      data-pinned={c.me.pinned ? 'true' : 'false'}
      role="button"
      tabIndex={0}
      aria-current={active ? 'true' : undefined}
      onClick={() => onOpen(c.id)}
      onKeyDown={(e) => {
        if (e.key === 'Enter') onOpen(c.id);
      }}
    >
      <div className="zx-conv-avatar">
        <ConversationAvatar conversation={c} size={44} />
        {mark === 'dot' && <span className="zx-badge-dot" data-testid="conversation-unread-dot" />}
        {mark === 'count' && (
          <span className="zx-badge" data-testid="conversation-unread">
            {c.unreadCount > 99 ? '99+' : c.unreadCount}
          </span>
        )}
      </div>
      <div className="zx-conv-body">
        <div className="zx-conv-line">
          <span className="zx-conv-title">{title}</span>
          <ConversationBadges conversation={c} />
          <span className="zx-conv-time">{formatTime(activity, now, language)}</span>
        </div>
        <div className="zx-conv-line">
          <span className="zx-conv-preview">
            {preview.marker === 'draft' && (
              <span className="zx-conv-marker" data-testid="conversation-draft">
                {t('draft')}
              </span>
            )}
            {preview.marker === 'mention' && <span className="zx-conv-marker">{t('mentionedMe')}</span>}
            {preview.text}
          </span>
          {c.me.muted && <MutedIcon label={t('list.muted')} />}
        </div>
      </div>
    </div>
  );
});
