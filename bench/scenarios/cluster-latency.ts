import { percentile } from '../lib/args.ts';
import type { ProbePair } from './cluster-probes.ts';

const round2 = (v: number) => Number(v.toFixed(2));

/** count, p50, p99, p99.9 and max of latencies in ms (rounded to 0.01 ms). */
export function latencyOf(values: number[]) {
  return {
    count: values.length,
    p50: round2(percentile(values, 50)),
    p99: round2(percentile(values, 99)),
    p999: round2(percentile(values, 99.9)),
    max: round2(values.reduce((m, v) => Math.max(m, v), 0)),
  };
}

/** Live latencies of the probes of one kind since their last reset. */
export function probeLatency(probes: readonly ProbePair[], kind: ProbePair['kind']) {
  return latencyOf(probes.filter((p) => p.kind === kind).flatMap((p) => p.receiver.latencies));
}
