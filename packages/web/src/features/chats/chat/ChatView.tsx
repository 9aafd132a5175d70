import { Button, Result } from 'antd';
import { NavBar } from 'antd-mobile';
import { LeftOutline } from 'antd-mobile-icons';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { getConversation, useConversation } from '../../../data/conversations.ts';
import { GroupAnnouncementBar, GroupComposerGate } from '../../contacts/groups/GroupChatBar.tsx';
import { fetchConversation } from '../../../data/conversation-sync.ts';
import { openChat } from '../../../data/window-loader.ts';
import { FileDropTarget } from '../../files/composer/FileDropTarget.tsx';
import { Composer } from '../composer/Composer.tsx';
import { useMyId } from '../hooks.ts';
import { canPostIn } from '../lib/channel.ts';
import { MessageList } from '../messages/MessageList.tsx';
import { ChatHeader } from './ChatHeader.tsx';
import { GroupInfoHost } from './GroupInfoHost.tsx';

interface Props {
  conversationId: string;
  layout: 'desktop' | 'mobile';
}

/**
 * One chat: header, messages and composer (or, in a channel I only read, a line saying so). Unknown
 * ids (a chat just created elsewhere) are fetched.
 */
export function ChatView({ conversationId, layout }: Props) {
  const { t } = useTranslation('chats');
  const navigate = useNavigate();
  const myId = useMyId();
  const c = useConversation(conversationId);
  const [missing, setMissing] = useState(false);
  const [infoOpen, setInfoOpen] = useState(false);

  useEffect(() => {
    setMissing(false);
    let live = true;
    openChat(conversationId)
      .then((result) => {
        if (live && result === 'missing') setMissing(true);
        // Reopened after deleting it from the list: the server un-hid it; the list shows it again.
        if (getConversation(conversationId)?.me.hidden)
          void fetchConversation(conversationId).catch(() => undefined);
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [conversationId]);

  const back = () => navigate('/chats');
  if (!c) {
    return (
      <div className="zx-chat" data-testid="chat-view" data-conversation-id={conversationId}>
        {layout === 'mobile' && <NavBar onBack={back} backIcon={<LeftOutline data-testid="chat-back" />} />}
        {missing ? (
          <Result
            status="404"
            subTitle={t('notFound')}
            extra={<Button onClick={back}>{t('title')}</Button>}
          />
        ) : (
          <div className="zx-center zx-muted-text">{t('loading')}</div>
        )}
      </div>
    );
  }
  const openInfo = () => {
    if (c.kind === 'group') setInfoOpen(true);
    else if (c.kind === 'direct' && c.peerId) navigate(`/contacts/${encodeURIComponent(c.peerId)}`);
  };
  const postable = canPostIn(c);
  return (
    <div className="zx-chat" data-testid="chat-view" data-conversation-id={conversationId}>
      <ChatHeader conversation={c} myId={myId} layout={layout} onInfo={openInfo} onBack={back} />
      <GroupAnnouncementBar conversation={c} />
      <MessageList key={conversationId} conversation={c} myId={myId} layout={layout} />
      {postable && <FileDropTarget conversation={c} myId={myId} />}
      {postable ? (
        <GroupComposerGate conversation={c}>
          <Composer key={`composer-${conversationId}`} conversation={c} myId={myId} layout={layout} />
        </GroupComposerGate>
      ) : (
        <div className="zx-chat-read-only" data-testid="chat-read-only">
          {t('channel.readOnly')}
        </div>
      )}
      {c.kind === 'group' && (
        <GroupInfoHost
          conversationId={c.id}
          open={infoOpen}
          layout={layout}
          onClose={() => setInfoOpen(false)}
        />
      )}
    </div>
  );
}
