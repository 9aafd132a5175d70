import type { QuickLoginScanned } from '@zhixin/sdk';
import { useCallback } from 'react';
import { useNavigate } from 'react-router';
import { client } from '../../app/client.ts';
import { putConversations } from '../../data/conversations.ts';
import { saveDraft } from '../../data/conversation-ops.ts';

/** What the scan screen shows after acting on a code: nothing (it navigated) or a login to confirm. */
export type ScanOutcome = { kind: 'navigated' } | { kind: 'login'; login: QuickLoginScanned };

/**
 * Act on a scanned code: a user opens their profile, a group its join page, a transfer the chat
 * with the prepared message in the composer, a desktop login asks for confirmation. Throws the
 * server's typed errors (CODE_INVALID, CODE_EXPIRED, NOT_MEMBER, ...).
 */
export function useActOnCode(): (code: string) => Promise<ScanOutcome> {
  const navigate = useNavigate();
  return useCallback(
    async (code: string) => {
      const r = await client.codes.resolve(code);
      switch (r.kind) {
        case 'user':
          void navigate(`/contacts/${encodeURIComponent(r.profile.id)}`);
          return { kind: 'navigated' };
        case 'group':
          void navigate(`/contacts/join-group?code=${encodeURIComponent(code)}`);
          return { kind: 'navigated' };
        case 'login':
          return { kind: 'login', login: await client.codes.scanLogin(code) };
        case 'transfer': {
          const chat =
            r.target.kind === 'user'
              ? await client.conversations.openDirect(r.target.profile.id)
              : await client.conversations.get(r.target.conversationId);
          // The data layer must know the chat before its draft can be set (the composer reads it).
          putConversations([chat]);
          if (r.message) await saveDraft(chat.id, r.message);
          void navigate(`/chats/${encodeURIComponent(chat.id)}`);
          return { kind: 'navigated' };
        }
      }
    },
    [navigate],
  );
}
