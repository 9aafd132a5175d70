import { NavBar, Popover, SearchBar } from 'antd-mobile';
import { AddCircleOutline, TeamOutline } from 'antd-mobile-icons';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Route, Routes, useNavigate, useParams } from 'react-router';
import { ChatView } from './chat/ChatView.tsx';
import { ConversationList } from './list/ConversationList.tsx';
import './chats.css';
import './messages/messages.css';
import './messages/message-menus.css';
import './composer/composer.css';

function ListScreen() {
  const { t } = useTranslation('chats');
  const navigate = useNavigate();
  const [query, setQuery] = useState('');
  return (
    <div className="zx-mobile-screen">
      <NavBar
        back={null}
        right={
          <Popover.Menu
            trigger="click"
            placement="bottom-end"
            actions={[{ key: 'group', icon: <TeamOutline />, text: t('newGroup') }]}
            onAction={() => navigate('/contacts/new-group')}
          >
            <button type="button" className="zx-icon-button" aria-label={t('more')} data-testid="new-group">
              <AddCircleOutline fontSize={22} />
            </button>
          </Popover.Menu>
        }
      >
        {t('title')}
      </NavBar>
      <div className="zx-mobile-search">
        <SearchBar placeholder={t('search')} value={query} onChange={setQuery} />
      </div>
      <ConversationList
        layout="mobile"
        query={query}
        activeId={undefined}
        onOpen={(id) => navigate(`/chats/${encodeURIComponent(id)}`)}
      />
    </div>
  );
}

function ChatScreen() {
  const { conversationId = '' } = useParams();
  return (
    <div className="zx-mobile-screen">
      <ChatView key={conversationId} conversationId={conversationId} layout="mobile" />
    </div>
  );
}

/** Chats on mobile: the list screen (with the tab bar), and each chat full screen. */
export default function MobileChatsRoutes() {
  return (
    <Routes>
      <Route path=":conversationId" element={<ChatScreen />} />
      <Route path="*" element={<ListScreen />} />
    </Routes>
  );
}
