import type { AdminGroup, AdminGroupMembers, AdminGroupsQuery } from '@zhixin/sdk';
import { App, Button, Drawer, Input, Select, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { client } from '../../app/client.ts';
import { formatTime, useAdminErrorText } from './errors.ts';
import { TypeToConfirm } from './TypeToConfirm.tsx';
import { usePagedRows } from './usePagedRows.ts';
import './admin-users.css';

/** /admin/all-groups: every group, its members, and dissolving one (type its name to confirm). */
export default function GroupsAdmin() {
  const { t } = useTranslation('adminUsers');
  const { message } = App.useApp();
  const errorText = useAdminErrorText();
  const [query, setQuery] = useState<AdminGroupsQuery>({ page: 1, pageSize: 20, status: 'all' });
  const [members, setMembers] = useState<AdminGroupMembers | null>(null);
  const [dissolving, setDissolving] = useState<AdminGroup | null>(null);
  const {
    rows,
    total,
    reload: load,
  } = usePagedRows(query, (q) =>
    client.admin.groups(q).then((page) => ({ rows: page.groups, total: page.total })),
  );

  const showMembers = (g: AdminGroup) =>
    void client.admin
      .groupMembers(g.conversationId)
      .then(setMembers)
      .catch((err: unknown) => void message.error(errorText(err)));

  const never = t('common.never');
  return (
    <div className="zx-au-page" data-testid="admin-all-groups">
      <Typography.Title level={3}>{t('groups.title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('groups.hint')}</Typography.Paragraph>
      <div className="zx-au-toolbar">
        <Input.Search
          allowClear
          placeholder={t('groups.searchPlaceholder')}
          data-testid="admin-all-groups-search"
          onSearch={(v) => {
            const { q: _drop, ...rest } = query;
            setQuery({ ...rest, page: 1, ...(v.trim() ? { q: v.trim() } : {}) });
          }}
        />
        <Select
          style={{ width: 120 }}
          value={query.status}
          options={[
            { value: 'all', label: t('groups.anyState') },
            { value: 'live', label: t('groups.live') },
            { value: 'dissolved', label: t('groups.dissolved') },
          ]}
          onChange={(status: AdminGroupsQuery['status']) => setQuery((q) => ({ ...q, page: 1, status }))}
        />
        <Select
          allowClear
          style={{ width: 140 }}
          placeholder={t('groups.anyKind')}
          options={[
            { value: 'temporary', label: t('groups.temporary') },
            { value: 'regular', label: t('groups.regular') },
          ]}
          onChange={(v: 'temporary' | 'regular' | undefined) =>
            setQuery((q) => {
              const { temporary: _drop, ...rest } = q;
              return { ...rest, page: 1, ...(v ? { temporary: v === 'temporary' } : {}) };
            })
          }
        />
        <Button onClick={load}>{t('common.refresh')}</Button>
      </div>
      <Table<AdminGroup>
        rowKey="conversationId"
        size="middle"
        loading={rows === null}
        dataSource={rows ?? []}
        locale={{ emptyText: t('groups.empty') }}
        onChange={(p) => setQuery((q) => ({ ...q, page: p.current ?? 1, pageSize: p.pageSize ?? 20 }))}
        pagination={{
          current: query.page,
          pageSize: query.pageSize,
          total,
          showTotal: (count) => t('common.total', { count }),
        }}
        columns={[
          {
            key: 'title',
            title: t('groups.name'),
            render: (_, g) => (
              <span data-testid="admin-all-groups-row" data-conversation-id={g.conversationId}>
                {g.title}
                {g.temporary && <Tag style={{ marginLeft: 8 }}>{t('groups.temporary')}</Tag>}
              </span>
            ),
          },
          { key: 'owner', title: t('groups.owner'), render: (_, g) => g.ownerNickname ?? '—' },
          { key: 'members', title: t('groups.members'), dataIndex: 'memberCount', width: 80 },
          { key: 'created', title: t('groups.created'), render: (_, g) => formatTime(g.createdAt, never) },
          {
            key: 'active',
            title: t('groups.lastActive'),
            render: (_, g) => formatTime(g.lastActiveAt, never),
          },
          {
            key: 'state',
            title: t('groups.state'),
            render: (_, g) =>
              g.dissolvedAt === null ? (
                <Tag color="green">{t('groups.live')}</Tag>
              ) : (
                <Tag>{t('groups.dissolved')}</Tag>
              ),
          },
          {
            key: 'actions',
            title: '',
            render: (_, g) => (
              <span className="zx-au-actions">
                <Button size="small" onClick={() => showMembers(g)}>
                  {t('groups.view')}
                </Button>
                {g.dissolvedAt === null && (
                  <Button
                    size="small"
                    danger
                    data-testid="admin-all-groups-dissolve"
                    onClick={() => setDissolving(g)}
                  >
                    {t('groups.dissolve')}
                  </Button>
                )}
              </span>
            ),
          },
        ]}
      />
      <Drawer
        open={members !== null}
        onClose={() => setMembers(null)}
        size={480}
        title={members ? t('groups.membersTitle', { name: members.group.title }) : ''}
      >
        <Table
          rowKey="userId"
          size="small"
          pagination={{ pageSize: 50, hideOnSinglePage: true }}
          dataSource={members?.members ?? []}
          columns={[
            { key: 'nickname', title: t('users.nickname'), dataIndex: 'nickname' },
            {
              key: 'role',
              title: t('users.roleCol'),
              render: (_, m: AdminGroupMembers['members'][number]) => t(`groups.memberRole.${m.role}`),
            },
            {
              key: 'joined',
              title: t('groups.joined'),
              render: (_, m: AdminGroupMembers['members'][number]) => formatTime(m.joinedAt, never),
            },
          ]}
        />
      </Drawer>
      <TypeToConfirm
        open={dissolving !== null}
        title={t('groups.dissolveTitle', { name: dissolving?.title ?? '' })}
        text={t('groups.dissolveConfirm')}
        word={dissolving?.title ?? ''}
        okText={t('groups.dissolve')}
        testId="admin-all-groups-dissolve-confirm"
        onClose={() => setDissolving(null)}
        onConfirm={async () => {
          if (!dissolving) return;
          try {
            await client.admin.dissolveGroup(dissolving.conversationId);
            void message.success(t('groups.dissolvedDone'));
            load();
          } catch (err) {
            void message.error(errorText(err));
          }
        }}
      />
    </div>
  );
}
