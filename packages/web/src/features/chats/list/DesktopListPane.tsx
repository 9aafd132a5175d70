import { PlusOutlined, SearchOutlined } from '@ant-design/icons';
import { Button, Input, Tooltip } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { ConversationList } from './ConversationList.tsx';

/** The left pane on desktop: search, the "new group" button, and the conversation list. */
export function DesktopListPane({ activeId }: { activeId: string | undefined }) {
  const { t } = useTranslation('chats');
  const navigate = useNavigate();
  const [query, setQuery] = useState('');
  return (
    <aside className="zx-list-pane">
      <div className="zx-list-search">
        <Input
          allowClear
          size="small"
          prefix={<SearchOutlined />}
          placeholder={t('search')}
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          data-testid="conversation-search"
        />
        <Tooltip title={t('newGroup')}>
          <Button
            size="small"
            icon={<PlusOutlined />}
            aria-label={t('newGroup')}
            data-testid="new-group"
            onClick={() => navigate('/contacts/new-group')}
          />
        </Tooltip>
      </div>
      <ConversationList
        layout="desktop"
        query={query}
        activeId={activeId}
        onOpen={(id) => navigate(`/chats/${encodeURIComponent(id)}`)}
      />
    </aside>
  );
}
