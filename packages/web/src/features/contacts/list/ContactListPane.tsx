import {
  FolderOutlined,
  SearchOutlined,
  SmileOutlined,
  TeamOutlined,
  UserAddOutlined,
  UsergroupAddOutlined,
} from '@ant-design/icons';
import { Button, Input, Tooltip } from 'antd';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { NavLink, useNavigate } from 'react-router';
import { OfficialBadge } from '../../../components/OfficialBadge.tsx';
import { UserAvatar } from '../../../components/UserAvatar.tsx';
import { usePeople } from '../../../data/people.ts';
import { usePendingIncomingCount, useFriendsSync } from '../../friends/friends-store.ts';
import { useContactSections, type ContactRow } from '../useContactSections.ts';
import { DirectoryEntry } from '../../directory/DirectoryEntry.tsx';
import { splitOfficial, useOfficialContactIds } from '../../opsaccount/officialContacts.ts';
import { ScanButton } from '../../scan/ScanButton.tsx';
import { useFileTransfer } from './useFileTransfer.ts';

function itemClass({ isActive }: { isActive: boolean }): string {
  return isActive ? 'zx-ct-item zx-ct-item-active' : 'zx-ct-item';
}

function EntryIcon({ color, children }: { color: string; children: ReactNode }) {
  return (
    <span className="zx-ct-entry-icon" style={{ background: color }}>
      {children}
    </span>
  );
}

/** The desktop contacts list pane: search, the fixed entries, then contacts in letter sections. */
export function ContactListPane() {
  const { t } = useTranslation('contacts');
  const navigate = useNavigate();
  const [query, setQuery] = useState('');
  const lettered = useContactSections(query);
  const { total } = lettered;
  // Official accounts are pinned above the letter sections.
  const { pinned, sections } = splitOfficial(lettered.sections, useOfficialContactIds());
  const loaded = usePeople((s) => s.contactsLoaded);
  const fileTransfer = useFileTransfer();
  const searching = query.trim() !== '';
  useFriendsSync();
  const pendingRequests = usePendingIncomingCount();

  return (
    <aside className="zx-list-pane zx-ct-pane">
      <div className="zx-ct-pane-search">
        <Input
          allowClear
          prefix={<SearchOutlined className="zx-ct-muted" />}
          placeholder={t('searchPlaceholder')}
          aria-label={t('searchPlaceholder')}
          value={query}
          onChange={(e) => setQuery(e.target.value)}
        />
        <Tooltip title={t('entries.newGroup')}>
          <Button
            data-testid="group-create"
            aria-label={t('entries.newGroup')}
            icon={<UsergroupAddOutlined />}
            onClick={() => void navigate('/contacts/new-group')}
          />
        </Tooltip>
        <ScanButton />
      </div>
      <div className="zx-ct-pane-scroll" data-testid="contact-list">
        {!searching && (
          <>
            <NavLink to="/contacts/requests" className={itemClass} data-testid="friend-requests">
              <EntryIcon color="#fa9d3b">
                <SmileOutlined />
              </EntryIcon>
              <span className="zx-ct-item-name">{t('entries.requests')}</span>
              {pendingRequests > 0 && (
                <span className="zx-fr-badge" data-testid="friend-requests-badge">
                  {pendingRequests > 99 ? '99+' : pendingRequests}
                </span>
              )}
            </NavLink>
            <NavLink to="/contacts/add" className={itemClass} data-testid="contact-add">
              <EntryIcon color="#10aeff">
                <UserAddOutlined />
              </EntryIcon>
              <span className="zx-ct-item-name">{t('entries.add')}</span>
            </NavLink>
            <NavLink to="/contacts/groups" className={itemClass} data-testid="group-list">
              <EntryIcon color="#07c160">
                <TeamOutlined />
              </EntryIcon>
              <span className="zx-ct-item-name">{t('entries.groups')}</span>
            </NavLink>
            <DirectoryEntry />
            <button
              type="button"
              className="zx-ct-item"
              data-testid="file-transfer"
              disabled={fileTransfer.opening}
              onClick={fileTransfer.open}
            >
              <EntryIcon color="#1677ff">
                <FolderOutlined />
              </EntryIcon>
              <span className="zx-ct-item-name">{t('entries.fileTransfer')}</span>
            </button>
          </>
        )}
        {pinned.map((row) => (
          <ContactLink key={row.userId} row={row} official />
        ))}
        {sections.map((section) => (
          <section key={section.letter}>
            <div className="zx-ct-letter">{section.letter}</div>
            {section.items.map((row) => (
              <ContactLink key={row.userId} row={row} />
            ))}
          </section>
        ))}
        {searching && sections.length === 0 && pinned.length === 0 && (
          <p className="zx-ct-empty">{t('noMatch', { query: query.trim() })}</p>
        )}
        {!searching && loaded && total === 0 && <p className="zx-ct-empty">{t('empty')}</p>}
        {!searching && total > 0 && <p className="zx-ct-count">{t('count', { count: total })}</p>}
      </div>
    </aside>
  );
}

function ContactLink({ row, official = false }: { row: ContactRow; official?: boolean }) {
  return (
    <NavLink
      to={`/contacts/${encodeURIComponent(row.userId)}`}
      className={itemClass}
      data-testid="contact-item"
      data-user-id={row.userId}
    >
      <UserAvatar userId={row.userId} size={36} />
      <span className="zx-ct-item-name">{row.name}</span>
      {official && <OfficialBadge />}
      {row.remark && row.remark !== row.nickname && <span className="zx-ct-item-nick">{row.nickname}</span>}
    </NavLink>
  );
}
