import { ReloadOutlined } from '@ant-design/icons';
import { Alert, Button, Col, Row, Space, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FigureCards } from './FigureCards.tsx';
import { MeetingsPanel } from './MeetingsPanel.tsx';
import { RangeControls } from './RangeControls.tsx';
import { bucketLabel, presetRange, type StatsRange } from './range.ts';
import { StatsChart, type ChartLine } from './StatsChart.tsx';
import { useOnline, useOverview, useSeries, valuesOf } from './useStats.ts';
import './stats.css';

/** /admin/dashboard: usage statistics for operators (figures, trends, messages, groups, meetings). */
export default function StatsDashboard() {
  const { t } = useTranslation('stats');
  const [range, setRange] = useState<StatsRange>(() => presetRange('30d'));
  const [version, setVersion] = useState(0);
  const overview = useOverview(version);
  const online = useOnline(overview.data?.online ?? null);
  const series = useSeries(range, version);
  const data = series.data;

  const labels = useMemo(
    () => (data ? data.buckets.map((b) => bucketLabel(b, data.granularity)) : []),
    [data],
  );
  const charts = useMemo(() => {
    // Buckets that have not begun yet (the rest of today) are left out, not drawn as zeros.
    const now = Date.now();
    const line = (
      metric: Parameters<typeof valuesOf>[1],
      kind: ChartLine['kind'],
      stack?: string,
    ): ChartLine => ({
      name: t(`metric.${metric}`),
      values: data ? valuesOf(data, metric).map((v, i) => ((data.buckets[i] ?? 0) > now ? null : v)) : [],
      kind,
      ...(stack ? { stack } : {}),
    });
    return {
      messages: [line('directMessages', 'bar', 'messages'), line('groupMessages', 'bar', 'messages')],
      users: [line('activeUsers', 'line'), line('newUsers', 'line'), line('senders', 'line')],
      groups: [line('activeGroups', 'line'), line('newGroups', 'line')],
      online: [line('peakOnlineUsers', 'line'), line('logins', 'bar')],
    };
  }, [data, t]);

  const chart = (key: keyof typeof charts) => (
    <StatsChart
      title={t(`chart.${key}`)}
      labels={labels}
      lines={charts[key]}
      loading={series.loading}
      emptyText={t('empty')}
      testId={`stats-chart-${key}`}
    />
  );

  return (
    <div data-testid="admin-dashboard" className="zx-stats">
      <div className="zx-stats-header">
        <Typography.Title level={3}>{t('title')}</Typography.Title>
        <Space>
          <span className="zx-stats-zone">
            {overview.data ? t('timeZone', { zone: overview.data.timeZone }) : ''}
          </span>
          <Button
            icon={<ReloadOutlined />}
            onClick={() => setVersion((v) => v + 1)}
            data-testid="stats-reload"
          >
            {t('reload')}
          </Button>
        </Space>
      </div>
      {(overview.error ?? series.error) ? (
        <Alert type="error" showIcon title={t('error')} className="zx-stats-alert" />
      ) : null}
      <FigureCards overview={overview.data} online={online} loading={overview.loading} />
      <div className="zx-stats-toolbar">
        <Typography.Title level={5}>{t('trends')}</Typography.Title>
        <RangeControls range={range} onChange={setRange} />
      </div>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={12}>
          {chart('messages')}
        </Col>
        <Col xs={24} xl={12}>
          {chart('users')}
        </Col>
        <Col xs={24} xl={12}>
          {chart('groups')}
        </Col>
        <Col xs={24} xl={12}>
          {chart('online')}
        </Col>
        <Col span={24}>
          <MeetingsPanel series={data} labels={labels} loading={series.loading} />
        </Col>
      </Row>
    </div>
  );
}
