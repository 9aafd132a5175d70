import { Card, Empty, Spin } from 'antd';
import { useEffect, useRef } from 'react';
import { echarts, type EChartsCoreOption } from './echarts.ts';

export interface ChartLine {
  name: string;
  /** null: a bucket still in the future (not drawn). */
  values: Array<number | null>;
  kind: 'line' | 'bar';
  /** Bars with the same stack are drawn on top of each other. */
  stack?: string;
}

interface Props {
  title: string;
  labels: string[];
  lines: ChartLine[];
  loading: boolean;
  emptyText: string;
  testId: string;
  height?: number;
}

function optionOf(labels: string[], lines: ChartLine[]): EChartsCoreOption {
  return {
    animation: false,
    tooltip: { trigger: 'axis' },
    legend: { top: 0, data: lines.map((l) => l.name) },
    grid: { left: 48, right: 16, top: 36, bottom: 28 },
    xAxis: { type: 'category', data: labels, boundaryGap: lines.some((l) => l.kind === 'bar') },
    yAxis: { type: 'value', minInterval: 1 },
    series: lines.map((l) => ({
      name: l.name,
      type: l.kind,
      data: l.values,
      ...(l.stack ? { stack: l.stack } : {}),
      ...(l.kind === 'line' ? { showSymbol: labels.length <= 31 } : { barMaxWidth: 28 }),
    })),
  };
}

/** One chart card: lines or (stacked) bars over the buckets, an empty state when all are zero. */
export function StatsChart({ title, labels, lines, loading, emptyText, testId, height = 280 }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const empty = !loading && lines.every((l) => l.values.every((v) => !v));

  useEffect(() => {
    const el = box.current;
    if (!el || empty) return;
    const chart = echarts.init(el);
    chart.setOption(optionOf(labels, lines));
    const resize = new ResizeObserver(() => chart.resize());
    resize.observe(el);
    return () => {
      resize.disconnect();
      chart.dispose();
    };
  }, [labels, lines, empty]);

  return (
    <Card title={title} size="small" className="zx-stats-chart" data-testid={testId}>
      <Spin spinning={loading}>
        {/* Keyed: without keys React reused the chart's div for the empty state, and the chart's
            dispose() then cleared the Empty inside it (a blank card when every value was zero). */}
        {empty ? (
          <div key="empty" style={{ height }} className="zx-stats-empty" data-testid={`${testId}-empty`}>
            <Empty description={emptyText} image={Empty.PRESENTED_IMAGE_SIMPLE} />
          </div>
        ) : (
          <div key="chart" ref={box} style={{ height }} data-testid={`${testId}-canvas`} />
        )}
      </Spin>
    </Card>
  );
}
