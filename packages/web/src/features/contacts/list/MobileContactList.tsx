import { List, NavBar, Popover, SearchBar } from 'antd-mobile';
import {
  AddCircleOutline,
  FolderOutline,
  SmileOutline,
  TeamOutline,
  UserAddOutline,
} from 'antd-mobile-icons';
import { useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { OfficialBadge } from '../../../components/OfficialBadge.tsx';
import { UserAvatar } from '../../../components/UserAvatar.tsx';
import { usePeople } from '../../../data/people.ts';
import { usePendingIncomingCount, useFriendsSync } from '../../friends/friends-store.ts';
import { useContactSections } from '../useContactSections.ts';
import { MobileDirectoryEntry } from '../../directory/DirectoryEntry.tsx';
import { splitOfficial, useOfficialContactIds } from '../../opsaccount/officialContacts.ts';
import { useFileTransfer } from './useFileTransfer.ts';

function EntryIcon({ color, children }: { color: string; children: ReactNode }) {
  return (
    <span className="zx-ct-entry-icon zx-ct-entry-icon-m" style={{ background: color }}>
      {children}
    </span>
  );
}

/** One of the fixed entries above the contacts (new friends, add, groups, file transfer). */
function EntryItem(props: {
  color: string;
  icon: ReactNode;
  testId: string;
  label: string;
  extra?: ReactNode;
  disabled?: boolean;
  onClick: () => void;
}) {
  return (
    <List.Item
      prefix={<EntryIcon color={props.color}>{props.icon}</EntryIcon>}
      arrowIcon={false}
      extra={props.extra}
      disabled={props.disabled}
      onClick={props.onClick}
    >
      <span data-testid={props.testId}>{props.label}</span>
    </List.Item>
  );
}

/** The mobile contacts tab: search, the fixed entries, contacts in letter sections with a side index. */
export function MobileContactList() {
  const { t } = useTranslation('contacts');
  const navigate = useNavigate();
  const [query, setQuery] = useState('');
  const lettered = useContactSections(query);
  const { total } = lettered;
  // Official accounts are pinned above the letter sections.
  const { pinned, sections } = splitOfficial(lettered.sections, useOfficialContactIds());
  const loaded = usePeople((s) => s.contactsLoaded);
  const fileTransfer = useFileTransfer();
  const scroller = useRef<HTMLDivElement>(null);
  const searching = query.trim() !== '';
  useFriendsSync();
  const pendingRequests = usePendingIncomingCount();

  const jumpTo = (letter: string) =>
    scroller.current
      ?.querySelector(`[data-letter="${CSS.escape(letter)}"]`)
      ?.scrollIntoView({ block: 'start' });

  const menu = (
    <Popover.Menu
      trigger="click"
      placement="bottom-end"
      actions={[
        {
          key: 'group',
          icon: <TeamOutline />,
          text: <span data-testid="group-create">{t('entries.newGroup')}</span>,
        },
        { key: 'add', icon: <UserAddOutline />, text: t('entries.add') },
      ]}
      onAction={(a) => void navigate(a.key === 'group' ? '/contacts/new-group' : '/contacts/add')}
    >
      <button
        type="button"
        className="zx-ct-navbtn"
        aria-label={t('entries.add')}
        data-testid="contacts-menu"
      >
        <AddCircleOutline />
      </button>
    </Popover.Menu>
  );

  return (
    <div className="zx-mobile-screen zx-ct-m-list">
      <NavBar back={null} backIcon={false} right={menu}>
        {t('title')}
      </NavBar>
      <div className="zx-mobile-scroll" ref={scroller} data-testid="contact-list">
        <div className="zx-ct-m-search">
          <SearchBar placeholder={t('searchPlaceholder')} value={query} onChange={setQuery} />
        </div>
        {!searching && (
          <List>
            <EntryItem
              color="#fa9d3b"
              icon={<SmileOutline />}
              testId="friend-requests"
              label={t('entries.requests')}
              extra={
                pendingRequests > 0 ? (
                  <span className="zx-fr-badge" data-testid="friend-requests-badge">
                    {pendingRequests > 99 ? '99+' : pendingRequests}
                  </span>
                ) : undefined
              }
              onClick={() => void navigate('/contacts/requests')}
            />
            <EntryItem
              color="#10aeff"
              icon={<UserAddOutline />}
              testId="contact-add"
              label={t('entries.add')}
              onClick={() => void navigate('/contacts/add')}
            />
            <EntryItem
              color="#07c160"
              icon={<TeamOutline />}
              testId="group-list"
              label={t('entries.groups')}
              onClick={() => void navigate('/contacts/groups')}
            />
            <MobileDirectoryEntry />
            <EntryItem
              color="#1677ff"
              icon={<FolderOutline />}
              testId="file-transfer"
              label={t('entries.fileTransfer')}
              disabled={fileTransfer.opening}
              onClick={fileTransfer.open}
            />
          </List>
        )}
        {pinned.length > 0 && (
          <List className="zx-ct-m-section">
            {pinned.map((row) => (
              <List.Item
                key={row.userId}
                prefix={<UserAvatar userId={row.userId} size={40} />}
                arrowIcon={false}
                onClick={() => void navigate(`/contacts/${encodeURIComponent(row.userId)}`)}
              >
                <span className="zx-ct-m-row" data-testid="contact-item" data-user-id={row.userId}>
                  <span className="zx-ct-item-name">{row.name}</span>
                  <OfficialBadge />
                </span>
              </List.Item>
            ))}
          </List>
        )}
        {sections.map((section) => (
          <List
            key={section.letter}
            header={<span data-letter={section.letter}>{section.letter}</span>}
            className="zx-ct-m-section"
          >
            {section.items.map((row) => (
              <List.Item
                key={row.userId}
                prefix={<UserAvatar userId={row.userId} size={40} />}
                arrowIcon={false}
                onClick={() => void navigate(`/contacts/${encodeURIComponent(row.userId)}`)}
              >
                <span className="zx-ct-m-row" data-testid="contact-item" data-user-id={row.userId}>
                  <span className="zx-ct-item-name">{row.name}</span>
                  {row.remark && row.remark !== row.nickname && (
                    <span className="zx-ct-item-nick">{row.nickname}</span>
                  )}
                </span>
              </List.Item>
            ))}
          </List>
        ))}
        {searching && sections.length === 0 && pinned.length === 0 && (
          <p className="zx-ct-empty">{t('noMatch', { query: query.trim() })}</p>
        )}
        {!searching && loaded && total === 0 && <p className="zx-ct-empty">{t('empty')}</p>}
        {!searching && total > 0 && <p className="zx-ct-count">{t('count', { count: total })}</p>}
      </div>
      {!searching && sections.length > 1 && (
        <nav className="zx-ct-m-index" aria-label={t('title')}>
          {sections.map((s) => (
            <button type="button" key={s.letter} onClick={() => jumpTo(s.letter)}>
              {s.letter}
            </button>
          ))}
        </nav>
      )}
    </div>
  );
}
