import type { Broadcast } from '@zhixin/sdk';
import { Progress, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';

interface Props {
  broadcasts: Broadcast[];
  loading: boolean;
}

function targetLabel(b: Broadcast, t: (key: string) => string): string {
  if ('all' in b.target) return t('broadcast.toAll');
  if ('userId' in b.target) return t('broadcast.toUser');
  return t('broadcast.toDepartment');
}

/** Sends of the operations account, newest first, with delivery progress. */
export function BroadcastHistory({ broadcasts, loading }: Props) {
  const { t, i18n } = useTranslation('opsaccount');
  return (
    <Table<Broadcast>
      data-testid="admin-broadcast-list"
      rowKey="id"
      size="small"
      loading={loading}
      dataSource={broadcasts}
      pagination={false}
      locale={{ emptyText: t('broadcast.empty') }}
      onRow={(b) => ({ 'data-testid': 'admin-broadcast-row', 'data-status': b.status }) as object}
      columns={[
        {
          key: 'time',
          title: t('broadcast.colTime'),
          width: 170,
          render: (_, b) => new Date(b.createdAt).toLocaleString(i18n.language),
        },
        { key: 'target', title: t('broadcast.colTarget'), width: 110, render: (_, b) => targetLabel(b, t) },
        { key: 'text', title: t('broadcast.colText'), ellipsis: true, render: (_, b) => b.text },
        {
          key: 'progress',
          title: t('broadcast.colProgress'),
          width: 260,
          render: (_, b) => (
            <span className="zx-ops-progress" data-testid="admin-broadcast-progress">
              <Progress
                percent={b.total === 0 ? 100 : Math.floor((b.delivered * 100) / b.total)}
                size="small"
                status={b.status === 'running' ? 'active' : 'success'}
                format={() => `${b.delivered.toLocaleString()}/${b.total.toLocaleString()}`}
              />
              <Tag color={b.status === 'running' ? 'processing' : 'success'}>
                {t(b.status === 'running' ? 'broadcast.running' : 'broadcast.done')}
              </Tag>
            </span>
          ),
        },
      ]}
    />
  );
}
