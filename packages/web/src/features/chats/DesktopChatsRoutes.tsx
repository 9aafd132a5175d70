import { useTranslation } from 'react-i18next';
import { Route, Routes, useParams } from 'react-router';
import { useClientSettings } from '../welcome/clientSettings.ts';
import { ChatView } from './chat/ChatView.tsx';
import { DesktopListPane } from './list/DesktopListPane.tsx';
import './chats.css';
import './messages/messages.css';
import './messages/message-menus.css';
import './composer/composer.css';

function EmptyChat() {
  const { t } = useTranslation('chats');
  const { t: tc } = useTranslation();
  const product = useClientSettings((s) => s.settings?.productName) ?? tc('appName');
  return (
    <div className="zx-chat-empty">
      <div className="zx-chat-empty-mark" aria-hidden>
        {Array.from(product)[0]}
      </div>
      <div className="zx-chat-empty-title">{t('empty.welcome', { product })}</div>
      <div className="zx-muted-text">{t('empty.hint')}</div>
    </div>
  );
}

function Panes() {
  const { conversationId } = useParams();
  return (
    <div className="zx-panes">
      <DesktopListPane activeId={conversationId} />
      <section className="zx-main-pane">
        {conversationId ? (
          <ChatView key={conversationId} conversationId={conversationId} layout="desktop" />
        ) : (
          <EmptyChat />
        )}
      </section>
    </div>
  );
}

/** Chats on desktop: the conversation list on the left, the open chat (or a welcome) on the right. */
export default function DesktopChatsRoutes() {
  return (
    <Routes>
      <Route path=":conversationId" element={<Panes />} />
      <Route path="*" element={<Panes />} />
    </Routes>
  );
}
