import {
  FolderOutlined,
  SearchOutlined,
  TeamOutlined,
  UserAddOutlined,
  UsergroupAddOutlined,
} from '@ant-design/icons';
import { Button, Input, Tooltip } from 'antd';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { NavLink, useNavigate } from 'react-router';
import { UserAvatar } from '../../../components/UserAvatar.tsx';
import { usePeople } from '../../../data/people.ts';
import { useContactSections, type ContactRow } from '../useContactSections.ts';
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
  const { sections, total } = useContactSections(query);
  const loaded = usePeople((s) => s.contactsLoaded);
  const fileTransfer = useFileTransfer();
  const searching = query.trim() !== '';

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
      </div>
      <div className="zx-ct-pane-scroll" data-testid="contact-list">
        {!searching && (
          <>
            <NavLink to="/contacts/add" className={itemClass} data-testid="contact-add">
              <EntryIcon color="#fa9d3b">
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
        {sections.map((section) => (
          <section key={section.letter}>
            <div className="zx-ct-letter">{section.letter}</div>
            {section.items.map((row) => (
              <ContactLink key={row.userId} row={row} />
            ))}
          </section>
        ))}
        {searching && sections.length === 0 && (
          <p className="zx-ct-empty">{t('noMatch', { query: query.trim() })}</p>
        )}
        {!searching && loaded && total === 0 && <p className="zx-ct-empty">{t('empty')}</p>}
        {!searching && total > 0 && <p className="zx-ct-count">{t('count', { count: total })}</p>}
      </div>
    </aside>
  );
}

function ContactLink({ row }: { row: ContactRow }) {
  return (
    <NavLink
      to={`/contacts/${encodeURIComponent(row.userId)}`}
      className={itemClass}
      data-testid="contact-item"
      data-user-id={row.userId}
    >
      <UserAvatar userId={row.userId} size={36} />
      <span className="zx-ct-item-name">{row.name}</span>
      {row.remark && row.remark !== row.nickname && <span className="zx-ct-item-nick">{row.nickname}</span>}
    </NavLink>
  );
}
