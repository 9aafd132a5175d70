import type { MomentReport, MomentReportStatus } from '@zhixin/protocol';
import { App, Button, Drawer, Empty, Segmented, Space, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { client } from '../../../app/client.ts';
import { formatTime, timeLanguage } from '../../chats/lib/time.ts';
import { useMomentsErrorText } from '../errors.ts';
import './moments-admin.css';
import { ReportedPost } from './ReportedPost.tsx';

const STATUSES: readonly MomentReportStatus[] = ['open', 'removed', 'dismissed'];

/** /admin/moments: reported posts with their reasons; operators view them and remove or dismiss. */
export default function MomentReportsAdmin() {
  const { t, i18n } = useTranslation('moments');
  const { message, modal } = App.useApp();
  const errorText = useMomentsErrorText();
  const [status, setStatus] = useState<MomentReportStatus>('open');
  const [items, setItems] = useState<MomentReport[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [viewing, setViewing] = useState<MomentReport | null>(null);

  const load = useCallback(
    async (before?: string) => {
      setLoading(true);
      try {
        const page = await client.moments.reports({ status, limit: 30, before });
        setItems((prev) => (before ? [...prev, ...page.items] : page.items));
        setCursor(page.nextCursor);
      } catch (err) {
        void message.error(errorText(err));
      } finally {
        setLoading(false);
      }
    },
    [status, message, errorText],
  );
  useEffect(() => {
    void load();
  }, [load]);

  const resolve = (report: MomentReport, action: 'remove' | 'dismiss') => {
    const run = () =>
      client.moments
        .resolveReport(report.id, action)
        .then(() => {
          void message.success(t(action === 'remove' ? 'admin.removed' : 'admin.dismissed'));
          setViewing(null);
          return load();
        })
        .catch((err: unknown) => void message.error(errorText(err)));
    if (action === 'dismiss') return void run();
    modal.confirm({
      title: t('admin.removeConfirm'),
      okText: t('admin.remove'),
      okButtonProps: { danger: true },
      cancelText: t('cancel'),
      onOk: run,
    });
  };
  const time = (at: number) => formatTime(at, Date.now(), timeLanguage(i18n.language));
  const actions = (r: MomentReport) =>
    r.status === 'open' ? (
      <Space>
        <Button size="small" onClick={() => setViewing(r)} data-testid="report-view">
          {t('admin.view')}
        </Button>
        <Button size="small" danger onClick={() => resolve(r, 'remove')} data-testid="report-remove">
          {t('admin.remove')}
        </Button>
        <Button size="small" onClick={() => resolve(r, 'dismiss')} data-testid="report-dismiss">
          {t('admin.dismiss')}
        </Button>
      </Space>
    ) : (
      <Button size="small" onClick={() => setViewing(r)}>
        {t('admin.view')}
      </Button>
    );

  return (
    <div data-testid="admin-moments">
      <Typography.Title level={3}>{t('admin.title')}</Typography.Title>
      <Segmented<MomentReportStatus>
        value={status}
        onChange={setStatus}
        options={STATUSES.map((s) => ({ value: s, label: t(`admin.status.${s}`) }))}
        style={{ marginBottom: 16 }}
      />
      <Table<MomentReport>
        rowKey="id"
        size="middle"
        loading={loading}
        dataSource={items}
        pagination={false}
        scroll={{ x: 760 }}
        locale={{ emptyText: <Empty description={t('admin.empty')} /> }}
        columns={[
          { title: t('admin.reportedAt'), dataIndex: 'createdAt', width: 140, render: time },
          { title: t('admin.reporter'), render: (_, r) => r.reporter.nickname, width: 120 },
          { title: t('admin.reason'), dataIndex: 'reason' },
          {
            title: t('admin.post'),
            render: (_, r) => (
              <span className="zx-mo-report-excerpt">
                <strong>{r.post.author.nickname}</strong>：{r.post.text || t('admin.mediaOnly')}
                {r.post.media.length > 0 && (
                  <Tag>{t('admin.mediaCount', { count: r.post.media.length })}</Tag>
                )}
              </span>
            ),
          },
          { title: '', width: 220, render: (_, r) => actions(r) },
        ]}
      />
      {cursor && (
        <Button type="link" onClick={() => void load(cursor)}>
          {t('loadMore')}
        </Button>
      )}
      <Drawer
        open={viewing !== null}
        onClose={() => setViewing(null)}
        title={t('admin.reviewTitle')}
        width="min(480px, 100vw)"
        extra={
          viewing?.status === 'open' && (
            <Space>
              <Button danger onClick={() => resolve(viewing, 'remove')}>
                {t('admin.remove')}
              </Button>
              <Button onClick={() => resolve(viewing, 'dismiss')}>{t('admin.dismiss')}</Button>
            </Space>
          )
        }
      >
        {viewing && (
          <>
            <p>
              <strong>{t('admin.reason')}：</strong>
              {viewing.reason}（{viewing.reporter.nickname}，{time(viewing.createdAt)}）
            </p>
            <ReportedPost report={viewing} />
          </>
        )}
      </Drawer>
    </div>
  );
}
