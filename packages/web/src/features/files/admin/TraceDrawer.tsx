import type { FileTrace } from '@zhixin/sdk';
import { Alert, Descriptions, Drawer, Table, Tag } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { client } from '../../../app/client.ts';
import { useAdminErrorText } from './errors.ts';

const time = (ms: number) => new Date(ms).toLocaleString();

/** A file's whole path by content hash (R-T2): every upload, send, forward, download and deletion. */
export function TraceDrawer({ sha256, onClose }: { sha256: string | null; onClose: () => void }) {
  const { t } = useTranslation('files');
  const errorText = useAdminErrorText();
  const [trace, setTrace] = useState<FileTrace | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!sha256) return;
    let live = true;
    setTrace(null);
    setError(null);
    client.audit
      .trace(sha256)
      .then((r) => live && setTrace(r))
      .catch((err: unknown) => live && setError(errorText(err)));
    return () => {
      live = false;
    };
  }, [sha256, errorText]);
  return (
    <Drawer
      open={sha256 !== null}
      onClose={onClose}
      size={860}
      title={t('evidence.traceTitle')}
      destroyOnHidden
    >
      <div data-testid="evidence-trace">
        <Descriptions size="small" column={1} bordered>
          <Descriptions.Item label="sha256">
            <code>{sha256}</code>
          </Descriptions.Item>
          <Descriptions.Item label={t('evidence.reached')}>
            {trace ? trace.reachedUserIds.length : '…'}
          </Descriptions.Item>
          <Descriptions.Item label={t('evidence.conversations')}>
            {trace ? trace.conversationIds.length : '…'}
          </Descriptions.Item>
        </Descriptions>
        {error && <Alert type="error" title={error} showIcon className="zx-evidence-alert" />}
        <Table
          className="zx-evidence-trace-table"
          size="small"
          rowKey="seq"
          loading={!trace && !error}
          dataSource={trace?.steps ?? []}
          pagination={false}
          scroll={{ x: 1100 }}
          columns={[
            { key: 'seq', title: '#', dataIndex: 'seq', width: 70 },
            { key: 'at', title: t('evidence.time'), render: (_, s) => time(s.at), width: 170 },
            { key: 'action', title: t('evidence.action'), render: (_, s) => <Tag>{s.action}</Tag> },
            { key: 'actor', title: t('evidence.actor'), render: (_, s) => s.actorId ?? t('evidence.system') },
            { key: 'conv', title: t('evidence.conversation'), render: (_, s) => s.conversationId ?? '—' },
            { key: 'targets', title: t('evidence.targets'), render: (_, s) => s.targetIds.length },
            { key: 'device', title: t('evidence.device'), render: (_, s) => s.deviceId ?? '—' },
            { key: 'ip', title: 'IP', render: (_, s) => s.ip ?? '—' },
          ]}
        />
      </div>
    </Drawer>
  );
}
