import { percentile } from '../lib/args.ts';
import type { ProbePair } from './cluster-probes.ts';

/** A figure in ms (or s) to 0.01, as the cluster and soak results print them. */
export const round = (v: number) => Number(v.toFixed(2));

/** count, p50, p99, p99.9 and max of latencies in ms (rounded to 0.01 ms). */
export function latencyOf(values: number[]) {
  return {
    count: values.length,
    p50: round(percentile(values, 50)),
    p99: round(percentile(values, 99)),
    p999: round(percentile(values, 99.9)),
    max: round(values.reduce((m, v) => Math.max(m, v), 0)),
  };
}

/** Live latencies of the probes of one kind since their last reset. */
export function probeLatency(probes: readonly ProbePair[], kind: ProbePair['kind']) {
  return latencyOf(probes.filter((p) => p.kind === kind).flatMap((p) => p.receiver.latencies));
}
