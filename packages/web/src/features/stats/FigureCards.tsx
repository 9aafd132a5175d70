import type { StatsOnline, StatsOverview } from '@zhixin/sdk';
import { Card, Col, Row, Skeleton, Statistic } from 'antd';
import { useTranslation } from 'react-i18next';

interface Props {
  overview: StatsOverview | null;
  online: StatsOnline | null;
  loading: boolean;
}

interface Figure {
  key: string;
  value: number | null;
  hint?: string;
}

/** The key figures: online now (refreshed), DAU/WAU/MAU, and today's new users, messages, groups. */
export function FigureCards({ overview, online, loading }: Props) {
  const { t } = useTranslation('stats');
  const today = overview?.today;
  const yesterday = overview?.yesterday;
  const vs = (now: number | undefined, before: number | undefined) =>
    now === undefined || before === undefined ? undefined : t('figures.yesterday', { value: before });
  const figures: Figure[] = [
    {
      key: 'online',
      value: online?.users ?? null,
      hint: online
        ? t('figures.connections', { value: online.connections, nodes: online.nodes.length })
        : undefined,
    },
    { key: 'dau', value: overview?.dau ?? null, hint: vs(overview?.dau, yesterday?.activeUsers) },
    { key: 'wau', value: overview?.wau ?? null },
    { key: 'mau', value: overview?.mau ?? null },
    { key: 'newUsers', value: today?.newUsers ?? null, hint: vs(today?.newUsers, yesterday?.newUsers) },
    {
      key: 'messages',
      value: today ? today.directMessages + today.groupMessages : null,
      hint: today
        ? t('figures.split', { direct: today.directMessages, group: today.groupMessages })
        : undefined,
    },
    {
      key: 'activeGroups',
      value: today?.activeGroups ?? null,
      hint: vs(today?.activeGroups, yesterday?.activeGroups),
    },
  ];
  return (
    <Row gutter={[16, 16]} className="zx-stats-figures">
      {figures.map((f) => (
        <Col key={f.key} flex="1 1 160px">
          <Card size="small" className="zx-stats-figure" data-testid={`stats-figure-${f.key}`}>
            {loading && f.value === null ? (
              <Skeleton active paragraph={false} />
            ) : (
              <Statistic title={t(`figures.${f.key}`)} value={f.value ?? 0} />
            )}
            <div className="zx-stats-hint">{f.hint ?? '\u00a0'}</div>
          </Card>
        </Col>
      ))}
    </Row>
  );
}
