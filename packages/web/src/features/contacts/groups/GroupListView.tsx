import type { Conversation } from '@zhixin/sdk';
import { UsergroupAddOutlined } from '@ant-design/icons';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { useLayoutKind } from '../../../app/layout.ts';
import { Avatar } from '../../../components/UserAvatar.tsx';
import { useConversations } from '../../../data/conversations.ts';
import { compareNames } from '../collation.ts';
import { ActionButton } from '../controls.tsx';
import { ScreenFrame } from '../ScreenFrame.tsx';

/** The groups I am in, by name in Chinese order. */
export function useMyGroups(): Conversation[] {
  const byId = useConversations((s) => s.byId);
  return useMemo(
    () =>
      Object.values(byId)
        .filter((c) => c.kind === 'group')
        .sort((a, b) => compareNames(a.title, b.title)),
    [byId],
  );
}

/** `/contacts/groups` (and the discover tab's "group chats"): my groups; a tap opens the chat. */
export function GroupListView({ backTo = '/contacts' }: { backTo?: string }) {
  const { t } = useTranslation('contacts');
  const layout = useLayoutKind();
  const navigate = useNavigate();
  const groups = useMyGroups();
  // On a phone this screen is the way to start a group from the discover tab; the desktop list
  // pane already has that button, so it is not repeated here.
  const right =
    layout === 'mobile' ? (
      <button
        type="button"
        className="zx-ct-navbtn"
        data-testid="group-create"
        aria-label={t('groups.create')}
        onClick={() => void navigate('/contacts/new-group')}
      >
        <UsergroupAddOutlined />
      </button>
    ) : undefined;

  return (
    <ScreenFrame title={t('groups.title')} backTo={backTo} right={right}>
      <div className="zx-ct-groups" data-testid="group-list-page">
        {groups.length === 0 ? (
          <div className="zx-ct-empty">
            <p>{t('groups.empty')}</p>
            {layout === 'desktop' && (
              <ActionButton kind="primary" onClick={() => void navigate('/contacts/new-group')}>
                {t('groups.create')}
              </ActionButton>
            )}
          </div>
        ) : (
          groups.map((g) => (
            <Link
              key={g.id}
              to={`/chats/${encodeURIComponent(g.id)}`}
              className="zx-ct-item"
              data-testid="group-item"
              data-conversation-id={g.id}
            >
              <Avatar imageId={null} name={g.title} colorKey={g.id} size={layout === 'mobile' ? 40 : 36} />
              <span className="zx-ct-item-name">{g.title}</span>
              <span className="zx-ct-item-nick">{t('groups.members', { count: g.memberCount })}</span>
            </Link>
          ))
        )}
      </div>
    </ScreenFrame>
  );
}
