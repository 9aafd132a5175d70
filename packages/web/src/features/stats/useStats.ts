import type { StatsMetric, StatsOnline, StatsOverview, StatsSeries } from '@zhixin/sdk';
import { useEffect, useState } from 'react';
import { client } from '../../app/client.ts';
import type { StatsRange } from './range.ts';

/** Online now refreshes this often. */
export const ONLINE_REFRESH_MS = 10_000;

export interface Loaded<T> {
  data: T | null;
  loading: boolean;
  error: unknown;
}

/** The overview (figures, DAU/WAU/MAU), loaded once per mount and on `version` changes. */
export function useOverview(version: number): Loaded<StatsOverview> {
  const [state, setState] = useState<Loaded<StatsOverview>>({ data: null, loading: true, error: null });
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    client.stats.overview().then(
      (data) => live && setState({ data, loading: false, error: null }),
      (error: unknown) => live && setState({ data: null, loading: false, error }),
    );
    return () => {
      live = false;
    };
  }, [version]);
  return state;
}

/** Online now, polled every ONLINE_REFRESH_MS while the page is open. */
export function useOnline(initial: StatsOnline | null): StatsOnline | null {
  const [online, setOnline] = useState<StatsOnline | null>(initial);
  useEffect(() => setOnline(initial), [initial]);
  useEffect(() => {
    const timer = setInterval(() => {
      client.stats.online().then(setOnline, () => undefined);
    }, ONLINE_REFRESH_MS);
    return () => clearInterval(timer);
  }, []);
  return online;
}

export const SERIES_METRICS: StatsMetric[] = [
  'newUsers',
  'activeUsers',
  'senders',
  'logins',
  'newGroups',
  'activeGroups',
  'directMessages',
  'groupMessages',
  'meetings',
  'meetingParticipants',
  'meetingSeconds',
  'peakOnlineUsers',
];

/** Every charted metric over the range, reloaded when the range or granularity changes. */
export function useSeries(range: StatsRange, version: number): Loaded<StatsSeries> {
  const [state, setState] = useState<Loaded<StatsSeries>>({ data: null, loading: true, error: null });
  const { from, to, granularity } = range;
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    client.stats.series({ metrics: SERIES_METRICS, from, to, granularity }).then(
      (data) => live && setState({ data, loading: false, error: null }),
      (error: unknown) => live && setState((s) => ({ ...s, loading: false, error })),
    );
    return () => {
      live = false;
    };
  }, [from, to, granularity, version]);
  return state;
}

/** The values of one metric in a series (zeros when absent). */
export function valuesOf(series: StatsSeries, metric: StatsMetric): number[] {
  return series.lines.find((l) => l.metric === metric)?.values ?? series.buckets.map(() => 0);
}
