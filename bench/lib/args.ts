import { parseArgs } from 'node:util';

/** Options every scenario takes: `--n` clients, `--duration` seconds, plus its own. */
export interface BenchArgs {
  scenario: string;
  n: number;
  duration: number;
  flags: Record<string, string | boolean | undefined>;
}

export function parseBenchArgs(argv: string[]): BenchArgs {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      n: { type: 'string' },
      duration: { type: 'string' },
      target: { type: 'string' },
      workers: { type: 'string' },
      window: { type: 'string' },
      rate: { type: 'string' },
      'group-size': { type: 'string' },
      size: { type: 'string' },
      'small-kib': { type: 'string' },
      conversations: { type: 'string' },
      messages: { type: 'string' },
      runs: { type: 'string' },
      users: { type: 'string' },
      senders: { type: 'string' },
      friends: { type: 'string' },
      days: { type: 'string' },
      samples: { type: 'string' },
      pages: { type: 'string' },
      'skip-broadcast': { type: 'boolean' },
      generator: { type: 'string' },
      broker: { type: 'string' },
      // ejabberd side by side (issue 9): login arrival rate, idle hold s, keepalive s, load agents, MAM.
      'login-rate': { type: 'string' },
      idle: { type: 'string' },
      heartbeat: { type: 'string' },
      agents: { type: 'string' },
      mam: { type: 'boolean' },
      // throughput / fanout / cluster / soak (issue 9): rate search, S4 beside S3, probes, restarts.
      'find-max': { type: 'boolean' },
      'step-factor': { type: 'string' },
      'step-duration': { type: 'string' },
      'max-rate': { type: 'string' },
      'connect-rate': { type: 'string' },
      'with-throughput': { type: 'boolean' },
      'direct-rate': { type: 'string' },
      groups: { type: 'string' },
      'group-rate': { type: 'string' },
      'senders-per-group': { type: 'string' },
      probes: { type: 'string' },
      'probe-rate': { type: 'string' },
      'restart-at': { type: 'string' },
      'restart-duration': { type: 'string' },
      'sample-every': { type: 'string' },
      // connections / reconnect / channel-push (issue 9): source addresses, a minted data dir to reuse,
      // running under outside load anyway, users written to while away, seconds between posts.
      sources: { type: 'string' },
      'ramp-limit': { type: 'string' },
      // connections: stop NATS for S seconds, T seconds into the hold; rejoin: deliveries lost.
      'nats-outage': { type: 'string' },
      'outage-at': { type: 'string' },
      lost: { type: 'string' },
      // media: fixed subscription counts per kind instead of doubling steps.
      steps: { type: 'string' },
      reuse: { type: 'string' },
      'allow-load': { type: 'boolean' },
      away: { type: 'string' },
      interval: { type: 'string' },
    },
    allowPositionals: true,
    strict: true,
  });
  return {
    scenario: positionals[0] ?? 'messages',
    n: Number(values.n ?? 100),
    duration: Number(values.duration ?? 20),
    flags: values,
  };
}

/** The p-th percentile (0-100) of a list of numbers. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = Float64Array.from(values).sort();
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx] as number;
}
