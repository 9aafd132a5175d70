import type { TemporaryGroup } from '@zhixin/sdk';
import { App, Button, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { client } from '../../../../app/client.ts';
import { useGroupsErrorText } from '../errors.ts';
import '../groups.css';

const time = (ms: number) => new Date(ms).toLocaleString();

/** /admin/groups: temporary groups, which are idle, and the cleanup (preview or now). */
export default function TemporaryGroupsAdmin() {
  const { t } = useTranslation('groups');
  const { message, modal } = App.useApp();
  const errorText = useGroupsErrorText();
  const [groups, setGroups] = useState<TemporaryGroup[] | null>(null);
  const [preview, setPreview] = useState<ReadonlySet<string>>(new Set());
  const [busy, setBusy] = useState(false);

  const load = useCallback(() => {
    client.groups
      .temporary()
      .then(setGroups)
      .catch((err: unknown) => void message.error(errorText(err)));
  }, [message, errorText]);
  useEffect(load, [load]);

  const dryRun = async () => {
    setBusy(true);
    try {
      const idle = await client.groups.cleanupTemporary(true);
      setPreview(new Set(idle.map((g) => g.conversationId)));
      void message.info(t('admin.wouldClean', { count: idle.length }));
    } catch (err) {
      void message.error(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  const cleanup = () => {
    const count = groups?.filter((g) => g.idle).length ?? 0;
    modal.confirm({
      title: t('admin.cleanup'),
      content: t('admin.cleanupConfirm', { count }),
      okButtonProps: { danger: true, 'data-testid': 'admin-groups-cleanup-confirm' },
      onOk: async () => {
        try {
          const done = await client.groups.cleanupTemporary(false);
          void message.success(t('admin.cleaned', { count: done.length }));
          setPreview(new Set());
          load();
        } catch (err) {
          void message.error(errorText(err));
        }
      },
    });
  };

  const status = (g: TemporaryGroup) =>
    g.dissolvedAt !== null ? (
      <Tag>{t('admin.dissolved')}</Tag>
    ) : g.idle ? (
      <Tag color={preview.has(g.conversationId) ? 'red' : 'orange'}>{t('admin.idle')}</Tag>
    ) : (
      <Tag color="green">{t('admin.active')}</Tag>
    );

  return (
    <div className="zx-gp-admin" data-testid="admin-groups">
      <Typography.Title level={3}>{t('admin.title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('admin.hint')}</Typography.Paragraph>
      <div className="zx-gp-admin-toolbar">
        <Button onClick={load}>{t('admin.refresh')}</Button>
        <Button data-testid="admin-groups-dry-run" loading={busy} onClick={() => void dryRun()}>
          {t('admin.dryRun')}
        </Button>
        <Button danger data-testid="admin-groups-cleanup" onClick={cleanup}>
          {t('admin.cleanup')}
        </Button>
      </div>
      <Table<TemporaryGroup>
        rowKey="conversationId"
        loading={groups === null}
        dataSource={groups ?? []}
        locale={{ emptyText: t('admin.empty') }}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        columns={[
          {
            key: 'title',
            title: t('admin.name'),
            render: (_, g) => (
              <span data-testid="admin-groups-row" data-conversation-id={g.conversationId}>
                {g.title}
              </span>
            ),
          },
          { key: 'members', title: t('admin.members'), dataIndex: 'memberCount', width: 90 },
          { key: 'created', title: t('admin.created'), render: (_, g) => time(g.createdAt) },
          { key: 'active', title: t('admin.lastActive'), render: (_, g) => time(g.lastActiveAt) },
          { key: 'status', title: t('admin.status'), render: (_, g) => status(g) },
        ]}
      />
    </div>
  );
}
