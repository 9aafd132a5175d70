import type { StatsSeries } from '@zhixin/sdk';
import { Card, Col, Row, Statistic } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { StatsChart } from './StatsChart.tsx';
import { valuesOf } from './useStats.ts';

interface Props {
  series: StatsSeries | null;
  labels: string[];
  loading: boolean;
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

/** Meetings over the range: totals (meetings, participants, hours) and meetings per bucket. */
export function MeetingsPanel({ series, labels, loading }: Props) {
  const { t } = useTranslation('stats');
  const meetings = useMemo(() => (series ? valuesOf(series, 'meetings') : []), [series]);
  const participants = series ? sum(valuesOf(series, 'meetingParticipants')) : 0;
  const seconds = series ? sum(valuesOf(series, 'meetingSeconds')) : 0;
  const lines = useMemo(
    () => [{ name: t('metric.meetings'), values: meetings, kind: 'bar' as const }],
    [meetings, t],
  );
  return (
    <Card title={t('meetings.title')} size="small" data-testid="stats-meetings">
      <Row gutter={16} className="zx-stats-meeting-figures">
        <Col span={8}>
          <Statistic title={t('meetings.count')} value={sum(meetings)} />
        </Col>
        <Col span={8}>
          <Statistic title={t('meetings.participants')} value={participants} />
        </Col>
        <Col span={8}>
          <Statistic title={t('meetings.hours')} value={seconds / 3600} precision={1} />
        </Col>
      </Row>
      <StatsChart
        title={t('meetings.perBucket')}
        labels={labels}
        lines={lines}
        loading={loading}
        emptyText={t('meetings.empty')}
        testId="stats-chart-meetings"
        height={180}
      />
    </Card>
  );
}
