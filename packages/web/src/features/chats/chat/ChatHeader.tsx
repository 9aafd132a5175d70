import type { Conversation } from '@zhixin/sdk';
import { EllipsisOutlined } from '@ant-design/icons';
import { NavBar } from 'antd-mobile';
import { LeftOutline, MoreOutline } from 'antd-mobile-icons';
import { useTranslation } from 'react-i18next';
import { CallButtons } from '../../calls/CallButtons.tsx';
import { TransferCodeButton } from '../../codes/TransferCodeButton.tsx';
import { TemporaryBadge } from '../../contacts/groups/GroupChatBar.tsx';
import { ConversationBadges } from '../ConversationBadges.tsx';
import { isSelfChat, useConversationTitle } from '../hooks.ts';
import { TypingIndicator } from './TypingIndicator.tsx';
import { usePeerOnline } from './usePeerOnline.ts';

interface Props {
  conversation: Conversation;
  myId: string;
  layout: 'desktop' | 'mobile';
  onInfo: () => void;
  onBack: () => void;
}

/** The peer's online state (direct chats), or nothing. */
function Presence({ conversation: c, myId }: { conversation: Conversation; myId: string }) {
  const { t } = useTranslation('chats');
  const peer = c.kind === 'direct' && !isSelfChat(c, myId) ? c.peerId : null;
  const online = usePeerOnline(peer);
  if (!peer || online === undefined) return null;
  return (
    <span className={online ? 'zx-presence zx-presence-on' : 'zx-presence'}>
      {online ? t('header.online') : t('header.offline')}
    </span>
  );
}

/**
 * The chat's title bar: name (+ member count) and badges, presence or typing, calls, the transfer
 * code and the chat-info button. An announcement channel has only its name: it has no members to
 * show, nobody to call and no code to hand out.
 */
export function ChatHeader({ conversation: c, myId, layout, onInfo, onBack }: Props) {
  const { t } = useTranslation('chats');
  const title = useConversationTitle(c);
  const count = c.kind === 'group' ? ` ${t('header.memberCount', { count: c.memberCount })}` : '';
  const sub = (
    <>
      <TypingIndicator conversation={c} myId={myId} />
      <Presence conversation={c} myId={myId} />
    </>
  );
  const channel = c.kind === 'channel';
  const showInfo = !isSelfChat(c, myId) && !channel;
  const transferCode = !channel && <TransferCodeButton conversation={c} myId={myId} />;
  if (layout === 'mobile') {
    return (
      <NavBar
        backIcon={<LeftOutline data-testid="chat-back" />}
        onBack={onBack}
        right={
          <>
            <CallButtons conversation={c} myId={myId} />
            {transferCode}
            {showInfo && (
              <button
                type="button"
                className="zx-icon-button"
                data-testid="chat-info"
                aria-label={t('header.info')}
                onClick={onInfo}
              >
                <MoreOutline fontSize={22} />
              </button>
            )}
          </>
        }
      >
        <div className="zx-chat-title-mobile">
          <span data-testid="chat-title" className="zx-chat-title-text">
            {title}
            {count}
            <ConversationBadges conversation={c} />
            <TemporaryBadge conversation={c} />
          </span>
          <span className="zx-chat-sub">{sub}</span>
        </div>
      </NavBar>
    );
  }
  return (
    <header className="zx-chat-header">
      <div className="zx-chat-heading">
        <span data-testid="chat-title" className="zx-chat-title-text">
          {title}
          {count}
          <ConversationBadges conversation={c} />
          <TemporaryBadge conversation={c} />
        </span>
        <span className="zx-chat-sub">{sub}</span>
      </div>
      <CallButtons conversation={c} myId={myId} />
      {transferCode}
      {showInfo && (
        <button
          type="button"
          className="zx-icon-button"
          data-testid="chat-info"
          aria-label={t('header.info')}
          onClick={onInfo}
        >
          <EllipsisOutlined />
        </button>
      )}
    </header>
  );
}
