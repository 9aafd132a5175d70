import type { ErrorCode } from '@zhixin/protocol';
import type { Conversation, Message } from '@zhixin/sdk';
import { LoadingOutlined } from '@ant-design/icons';
import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import { UserAvatar } from '../../../components/UserAvatar.tsx';
import type { TimelineEntry } from '../../../data/message-window.ts';
import { useDisplayName } from '../../../data/people.ts';
import { discardPending, retrySend } from '../../../data/send.ts';
import type { MessageAction } from './actions.ts';
import { MessageBody } from './MessageBody.tsx';
import { MessageMenu } from './MessageMenu.tsx';
import { ReactionsRow } from './ReactionsRow.tsx';
import type { ReadInfo } from './read-info.ts';
import { ReadStatus } from './ReadStatus.tsx';
import { RecalledNotice } from './RecalledNotice.tsx';
import { SystemNotice } from './SystemNotice.tsx';
import { TamperedNotice } from './TamperedNotice.tsx';
import { CallRecordRow } from '../../calls/CallRecordRow.tsx';
import { ReplyQuote } from './ReplyQuote.tsx';

export interface ItemProps {
  entry: TimelineEntry;
  conversation: Conversation;
  myId: string;
  readInfo: ReadInfo | null;
  layout: 'desktop' | 'mobile';
  onAction: (action: MessageAction, m: Message) => void;
  onReact: (emoji: string, m: Message) => void;
}

function SenderName({ userId }: { userId: string }) {
  return <div className="zx-msg-sender">{useDisplayName(userId)}</div>;
}

interface Refusal {
  key: string;
  testId: string;
  /** A retry cannot change the answer: no retry button. */
  final: boolean;
}

/** Refusals that say more than "failed", by the error code of the last attempt. */
const REFUSALS: ReadonlyMap<string, Refusal> = new Map<ErrorCode, Refusal>([
  ['BLOCKED', { key: 'failedBlocked', testId: 'message-blocked', final: false }],
  ['CHANNEL_READ_ONLY', { key: 'failedChannelReadOnly', testId: 'message-channel-read-only', final: true }],
]);

function PendingState({ entry }: { entry: Extract<TimelineEntry, { kind: 'pending' }> }) {
  const { t } = useTranslation('chats');
  const p = entry.pending;
  if (p.status === 'sending') return <LoadingOutlined className="zx-msg-sending" aria-label={t('sending')} />;
  const refusal = p.error === undefined ? undefined : REFUSALS.get(p.error);
  return (
    <span className="zx-msg-failed">
      <span className="zx-msg-failed-icon" aria-hidden>
        !
      </span>
      {refusal ? <span data-testid={refusal.testId}>{t(refusal.key)}</span> : t('failed')}
      {!refusal?.final && (
        <button
          type="button"
          className="zx-link-button"
          data-testid="message-retry"
          onClick={() => void retrySend(p.conversationId, p.clientId)}
        >
          {t('retry')}
        </button>
      )}
      <button
        type="button"
        className="zx-link-button"
        onClick={() => discardPending(p.conversationId, p.clientId)}
      >
        {t('discard')}
      </button>
    </span>
  );
}

/** One message: avatar, sender (groups), bubble with quote and content, marks, reactions, receipt. */
export const MessageItem = memo(function MessageItem({
  entry,
  conversation,
  myId,
  readInfo,
  layout,
  onAction,
  onReact,
}: ItemProps) {
  const { t } = useTranslation('chats');
  const m = entry.kind === 'message' ? entry.message : null;
  const senderId = m ? m.senderId : myId;
  const mine = senderId === myId;
  const common = {
    'data-testid': 'message-item',
    'data-seq': m ? String(m.seq) : '',
    'data-mine': mine ? 'true' : 'false',
    'data-message-id': m?.id ?? '',
  };
  if (m?.integrity === 'tampered') {
    return (
      <div className="zx-msg-row zx-msg-row-system" {...common}>
        <TamperedNotice />
      </div>
    );
  }
  if (m && (m.recalledAt !== null || m.content === null)) {
    return (
      <div className="zx-msg-row zx-msg-row-system" {...common}>
        <RecalledNotice message={m} mine={mine} />
      </div>
    );
  }
  if (m?.content?.kind === 'system' && m.content.call)
    return <CallRecordRow message={m} record={m.content.call} myId={myId} />;
  if (m?.content?.kind === 'system') {
    return (
      <div className="zx-msg-row zx-msg-row-system" {...common}>
        <SystemNotice content={m.content} />
      </div>
    );
  }
  const content = m ? m.content : entry.kind === 'pending' ? entry.pending.content : null;
  const replyTo = m ? m.replyTo : entry.kind === 'pending' ? entry.pending.replyTo : null;
  const mentions = m ? m.mentions : entry.kind === 'pending' ? entry.pending.mentions : [];
  if (!content) return null;
  const bubble = (
    <div className={mine ? 'zx-bubble zx-bubble-mine' : 'zx-bubble'}>
      {m?.forwardedFrom && <div className="zx-msg-forwarded">{t('forwarded')}</div>}
      {replyTo && <ReplyQuote replyTo={replyTo} />}
      <MessageBody
        content={content}
        mentions={mentions}
        conversationId={conversation.id}
        seq={m ? m.seq : null}
        fileExpired={m?.fileExpired === true}
      />
    </div>
  );
  return (
    <div className={mine ? 'zx-msg-row zx-msg-row-mine' : 'zx-msg-row'} {...common}>
      <div className="zx-msg-avatar">
        <UserAvatar userId={senderId} size={36} />
      </div>
      <div className="zx-msg-main">
        {conversation.kind === 'group' && !mine && <SenderName userId={senderId} />}
        <div className="zx-msg-bubble-line">
          {m ? (
            <MessageMenu
              message={m}
              conversation={conversation}
              myId={myId}
              layout={layout}
              onAction={onAction}
              onReact={onReact}
            >
              {bubble}
            </MessageMenu>
          ) : (
            bubble
          )}
          {entry.kind === 'pending' && <PendingState entry={entry} />}
        </div>
        {m && (m.editedAt !== null || (mine && readInfo)) && (
          <div className="zx-msg-meta">
            {m.editedAt !== null && (
              <span className="zx-msg-edited" data-testid="message-edited">
                {t('edited')}
              </span>
            )}
            {mine && readInfo && (
              <ReadStatus info={readInfo} seq={m.seq} onOpenReaders={() => onAction('readers', m)} />
            )}
          </div>
        )}
        {m && <ReactionsRow reactions={m.reactions} myId={myId} onToggle={(emoji) => onReact(emoji, m)} />}
      </div>
    </div>
  );
});
