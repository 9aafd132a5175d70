import type { Role } from '@zhixin/protocol';
import type { AdminUser, AdminUsersQuery } from '@zhixin/sdk';
import { Button, Input, Select, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { client } from '../../app/client.ts';
import { formatTime } from './errors.ts';
import { useDepartmentOptions } from './departments.ts';
import { UserDrawer } from './UserDrawer.tsx';
import { usePagedRows } from './usePagedRows.ts';
import './admin-users.css';

const ROLES: Role[] = ['user', 'operator', 'auditor', 'admin'];
const STATUSES = ['active', 'disabled', 'deactivated'] as const;
const STATUS_COLOR = { active: 'green', disabled: 'orange', deactivated: 'default' } as const;

/** /admin/users: search and page through users; a row opens the detail drawer with the actions. */
export default function UsersAdmin() {
  const { t } = useTranslation('adminUsers');
  const departments = useDepartmentOptions();
  const [query, setQuery] = useState<AdminUsersQuery>({ page: 1, pageSize: 20 });
  const [openId, setOpenId] = useState<string | null>(null);
  const {
    rows,
    total,
    reload: load,
  } = usePagedRows(query, (q) =>
    client.admin.users(q).then((page) => ({ rows: page.users, total: page.total })),
  );

  const patch = (p: Partial<AdminUsersQuery>) => setQuery((q) => ({ ...q, page: 1, ...p }));
  const never = t('common.never');

  return (
    <div className="zx-au-page" data-testid="admin-users">
      <Typography.Title level={3}>{t('users.title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('users.hint')}</Typography.Paragraph>
      <div className="zx-au-toolbar">
        <Input.Search
          allowClear
          placeholder={t('users.searchPlaceholder')}
          data-testid="admin-users-search"
          onSearch={(v) => {
            const { q: _drop, ...rest } = query;
            setQuery({ ...rest, page: 1, ...(v.trim() ? { q: v.trim() } : {}) });
          }}
        />
        <Select
          allowClear
          style={{ width: 220 }}
          placeholder={t('users.anyDepartment')}
          options={departments}
          showSearch={{ optionFilterProp: 'label' }}
          onChange={(v: string | undefined) => patch({ departmentId: v })}
        />
        <Select
          allowClear
          style={{ width: 140 }}
          placeholder={t('users.anyRole')}
          options={ROLES.map((r) => ({ value: r, label: t(`role.${r}`) }))}
          onChange={(v: Role | undefined) => patch({ role: v })}
        />
        <Select
          allowClear
          style={{ width: 140 }}
          placeholder={t('users.anyStatus')}
          data-testid="admin-users-status"
          options={STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) }))}
          onChange={(v: AdminUser['status'] | undefined) => patch({ status: v })}
        />
        <Button onClick={load}>{t('common.refresh')}</Button>
      </div>
      <Table<AdminUser>
        rowKey="id"
        size="middle"
        loading={rows === null}
        dataSource={rows ?? []}
        locale={{ emptyText: t('users.empty') }}
        onChange={(pagination, _filters, sorter) => {
          const s = Array.isArray(sorter) ? sorter[0] : sorter;
          const sort = s?.order ? (s.columnKey as AdminUsersQuery['sort']) : undefined;
          setQuery((q) => ({
            ...q,
            page: pagination.current ?? 1,
            pageSize: pagination.pageSize ?? 20,
            sort,
            order: s?.order === 'ascend' ? 'asc' : 'desc',
          }));
        }}
        pagination={{
          current: query.page,
          pageSize: query.pageSize,
          total,
          showSizeChanger: true,
          showTotal: (count) => t('common.total', { count }),
        }}
        onRow={(u) => ({ onClick: () => setOpenId(u.id), style: { cursor: 'pointer' } })}
        columns={[
          {
            key: 'nickname',
            title: t('users.nickname'),
            render: (_, u) => (
              <span data-testid="admin-users-row" data-user-id={u.id}>
                {u.nickname}
                {u.leftAt !== null && <Tag style={{ marginLeft: 8 }}>{t('users.left')}</Tag>}
              </span>
            ),
          },
          { key: 'phone', title: t('users.phone'), dataIndex: 'phoneMasked' },
          { key: 'account', title: t('users.account'), render: (_, u) => u.account ?? '—' },
          { key: 'department', title: t('users.department'), render: (_, u) => u.department ?? '—' },
          { key: 'role', title: t('users.roleCol'), render: (_, u) => t(`role.${u.role}`) },
          {
            key: 'status',
            title: t('users.statusCol'),
            render: (_, u) => <Tag color={STATUS_COLOR[u.status]}>{t(`status.${u.status}`)}</Tag>,
          },
          {
            key: 'createdAt',
            title: t('users.created'),
            sorter: true,
            render: (_, u) => formatTime(u.createdAt, never),
          },
          {
            key: 'lastActiveAt',
            title: t('users.lastActive'),
            sorter: true,
            render: (_, u) => formatTime(u.lastActiveAt, never),
          },
        ]}
      />
      <UserDrawer userId={openId} onClose={() => setOpenId(null)} onChanged={load} />
    </div>
  );
}
