import { ApartmentOutlined, RightOutlined, SearchOutlined } from '@ant-design/icons';
import { Input } from 'antd';
import { SearchBar } from 'antd-mobile';
import { useDeferredValue, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { useLayoutKind } from '../../app/layout.ts';
import { ScreenFrame } from '../contacts/ScreenFrame.tsx';
import { DirectoryBreadcrumb } from './DirectoryBreadcrumb.tsx';
import { MemberList } from './MemberList.tsx';
import { childrenOf, pathTo, useLoadedDirectoryTree } from './useDirectoryTree.ts';
import { useMembers } from './useMembers.ts';
import './directory.css';

/** `/contacts/directory[/<departmentId>]`: breadcrumb, sub-departments, then the members. */
export function DirectoryView({ departmentId }: { departmentId: string | null }) {
  const { t } = useTranslation('directory');
  const layout = useLayoutKind();
  const navigate = useNavigate();
  const tree = useLoadedDirectoryTree();
  const [text, setText] = useState('');
  const q = useDeferredValue(text.trim());
  const top = childrenOf(tree.departments, null);
  const members = useMembers(departmentId, q, top);
  const path = pathTo(tree.departments, departmentId);
  const here = path[path.length - 1];
  const subs = childrenOf(tree.departments, departmentId);
  const shownSubs = q ? subs.filter((d) => d.name.toLowerCase().includes(q.toLowerCase())) : subs;
  const backTo = path.length > 1 ? `/contacts/directory/${path[path.length - 2]?.id}` : '/contacts/directory';

  const search =
    layout === 'mobile' ? (
      <div className="zx-dir-search-m" data-testid="directory-search">
        <SearchBar placeholder={t('searchPlaceholder')} value={text} onChange={setText} />
      </div>
    ) : (
      <div className="zx-dir-search" data-testid="directory-search">
        <Input
          allowClear
          prefix={<SearchOutlined />}
          placeholder={t('searchPlaceholder')}
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
      </div>
    );

  return (
    <ScreenFrame title={here?.name ?? t('title')} backTo={departmentId ? backTo : '/contacts'}>
      <div className="zx-dir" data-testid="directory-view" data-department-id={departmentId ?? ''}>
        {search}
        <DirectoryBreadcrumb path={path} />
        {tree.status === 'error' && <p className="zx-dir-note">{t('error', { detail: tree.error })}</p>}
        {tree.status === 'ready' && tree.departments.length === 0 && (
          <div className="zx-dir-empty">
            <ApartmentOutlined className="zx-dir-empty-icon" />
            <p>{t('emptyRoot')}</p>
          </div>
        )}
        {shownSubs.length > 0 && (
          <section className="zx-dir-section">
            <h3 className="zx-dir-heading">{t('departments')}</h3>
            {shownSubs.map((d) => (
              <Link
                key={d.id}
                to={`/contacts/directory/${d.id}`}
                className="zx-dir-row"
                data-testid="department-item"
                data-department-id={d.id}
                onClick={() => setText('')}
              >
                <span className="zx-dir-dep-icon">
                  <ApartmentOutlined />
                </span>
                <span className="zx-dir-name">{d.name}</span>
                <span className="zx-dir-count">{t('memberCount', { count: d.totalCount })}</span>
                <RightOutlined className="zx-dir-arrow" />
              </Link>
            ))}
          </section>
        )}
        <MemberList
          members={members.members}
          loading={members.loading}
          error={members.error}
          hasMore={members.more.length > 0}
          onMore={members.loadMore}
          emptyText={q ? t('noResults') : departmentId && subs.length === 0 ? t('empty') : ''}
          onOpen={(userId) => void navigate(`/contacts/${userId}`)}
        />
      </div>
    </ScreenFrame>
  );
}
