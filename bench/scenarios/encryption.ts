import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { loadConfig } from '../../packages/server/src/config.ts';
import { openDatabase } from '../../packages/server/src/platform/db/index.ts';
import type { BenchArgs } from '../lib/args.ts';
import { sendCpuAb } from '../lib/send-cpu-ab.ts';
import type { Target } from '../lib/server.ts';
import { runMessagesPhases, type MessagesResult } from './messages.ts';

type Setting = 'on' | 'off';

/** What the server is started with for each setting (the switch is refused without dev secrets). */
const SERVER_ENV: Record<Setting, NodeJS.ProcessEnv> = {
  on: { ZX_SECURITY_ENCRYPT_AT_REST: 'true' },
  off: { ZX_SECURITY_ENCRYPT_AT_REST: 'false', ZX_SECURITY_ALLOW_DEV_SECRETS: 'true' },
};

/**
 * Refuse to measure when this build has no `security.encryptAtRest` switch: the server ignores an
 * unknown ZX_* variable, so "off" would silently run with encryption on and report a 0% cost.
 */
function assertSwitchExists(): void {
  const config = loadConfig({ env: SERVER_ENV.off, file: '' });
  const security = config.security as Record<string, unknown>;
  if (security.encryptAtRest !== false)
    throw new Error('this build has no security.encryptAtRest switch (ZX_SECURITY_ENCRYPT_AT_REST)');
}

/**
 * Check the run stored what its setting says: every message body sealed (on) or every one under the
 * keyring's reserved plain-text key id `plain.` (off). A run that did not is not a measurement.
 */
function checkStoredAs(setting: Setting) {
  return async (target: Target): Promise<void> => {
    const database = openDatabase({ url: target.databaseUrl, pool: { size: 1 } });
    try {
      const count = (plainOnly: boolean) =>
        database.db
          .selectFrom('messages')
          .select((eb) => eb.fn.countAll<number>().as('rows'))
          .where('content_enc', plainOnly ? 'like' : 'is not', plainOnly ? 'plain.%' : null)
          .executeTakeFirstOrThrow();
      const all = Number((await count(false)).rows);
      const plain = Number((await count(true)).rows);
      const expected = setting === 'on' ? 0 : all;
      if (all === 0 || plain !== expected)
        throw new Error(`encryption ${setting}: ${plain} of ${all} stored message bodies are plain text`);
    } finally {
      await database.close();
    }
  };
}

/** Load and socket counts, so a reader can tell how busy the shared machine was. */
function machineState() {
  let sockstat = '';
  try {
    sockstat = readFileSync('/proc/net/sockstat', 'utf8').split('\n').slice(0, 2).join('; ');
  } catch {
    // not Linux: leave it out
  }
  return { loadAverage: loadavg().map((x) => Number(x.toFixed(2))), sockstat };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return 0;
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

const round = (x: number, digits = 3) => Number(x.toFixed(digits));

interface PairRuns {
  /** Which setting ran first. */
  order: Setting[];
  closed: Record<Setting, MessagesResult>;
  paced: Record<Setting, MessagesResult> | null;
}

/**
 * Separate the cost from the order: with alternating orders, a pair that ran encryption first sees
 * ratio c/p and one that ran it second c·p, where c is the cost (the on/off ratio) and p what running
 * second gains over running first (page cache, a machine getting quieter, ...). From the medians of
 * each group: c = √(first·second), p = √(second/first). Null until both orders have run.
 */
export function splitOrder(ratios: readonly number[], onFirst: readonly boolean[]) {
  const first = ratios.filter((_, i) => onFirst[i]);
  const second = ratios.filter((_, i) => !onFirst[i]);
  if (first.length === 0 || second.length === 0) return { cost: null, secondRunFactor: null };
  const f = median(first);
  const s = median(second);
  return { cost: round(Math.sqrt(f * s)), secondRunFactor: round(Math.sqrt(s / f)) };
}

/**
 * Server CPU per persisted message, on and off, in the closed-loop runs (paced at a low rate, the
 * server's idle work would dominate): the figure that moves least with the load of a shared
 * machine. Every run's figure is listed, so a reader sees the spread. Null without /proc.
 */
function serverCpu(runs: Array<Record<Setting, MessagesResult>>, onFirst: readonly boolean[]) {
  const both = runs.flatMap((r, i) =>
    r.on.serverCpuUsPerMessage !== null && r.off.serverCpuUsPerMessage !== null
      ? [{ r, first: onFirst[i] }]
      : [],
  );
  if (both.length === 0) return null;
  const usOf = (r: Record<Setting, MessagesResult>, s: Setting) => r[s].serverCpuUsPerMessage as number;
  const ratios = both.map(({ r }) => usOf(r, 'on') / usOf(r, 'off'));
  return {
    /** Each pair's figure, in pair order. */
    perRunUsOn: both.map(({ r }) => usOf(r, 'on')),
    perRunUsOff: both.map(({ r }) => usOf(r, 'off')),
    usPerMessageOn: median(both.map(({ r }) => usOf(r, 'on'))),
    usPerMessageOff: median(both.map(({ r }) => usOf(r, 'off'))),
    ratios: ratios.map((r) => round(r)),
    /** Median on/off ratio: 1.05 means encryption adds 5% to the server's CPU per message. */
    medianRatio: round(median(ratios)),
    ...splitOrder(
      ratios,
      both.map(({ first }) => first === true),
    ),
  };
}

/** Medians per setting and the on/off ratio of each pair's runs (the drift-free comparison). */
function summarize(pairs: PairRuns[]) {
  const closedMedian = (s: Setting) => median(pairs.map((p) => p.closed[s].persistedPerSecond));
  const throughputRatios = pairs.map((p) => p.closed.on.persistedPerSecond / p.closed.off.persistedPerSecond);
  const onFirst = pairs.map((p) => p.order[0] === 'on');
  const throughput = {
    persistedPerSecondOn: closedMedian('on'),
    persistedPerSecondOff: closedMedian('off'),
    pairRatios: throughputRatios.map((r) => round(r)),
    /** Median of the pairs' on/off ratios: 0.95 means encryption costs 5% of the throughput. */
    medianRatio: round(median(throughputRatios)),
    lossPercent: round((1 - median(throughputRatios)) * 100, 1),
    /** The ratio with the order effect taken out, and that effect (see splitOrder). */
    ...splitOrder(throughputRatios, onFirst),
  };
  const cpu = serverCpu(
    pairs.map((p) => p.closed),
    onFirst,
  );
  const paced = pairs.flatMap((p) => (p.paced ? [p.paced] : []));
  if (paced.length === 0) return { throughput, cpu, latency: null };
  const latency = (s: Setting) => ({
    ackP50Ms: round(median(paced.map((p) => p[s].ackP50Ms)), 2),
    ackP99Ms: round(median(paced.map((p) => p[s].ackP99Ms)), 2),
    e2eP50Ms: round(median(paced.map((p) => p[s].e2eP50Ms)), 2),
    e2eP99Ms: round(median(paced.map((p) => p[s].e2eP99Ms)), 2),
    persistedPerSecond: median(paced.map((p) => p[s].persistedPerSecond)),
  });
  return {
    throughput,
    cpu,
    latency: {
      on: latency('on'),
      off: latency('off'),
      ackP50Ratio: round(median(paced.map((p) => p.on.ackP50Ms / p.off.ackP50Ms))),
      ackP99Ratio: round(median(paced.map((p) => p.on.ackP99Ms / p.off.ackP99Ms))),
    },
  };
}

async function runPairs(name: 'sqlite' | 'pg', args: BenchArgs, pairs: number, rate: number) {
  // A discarded first run: the first server after a code change or on a fresh machine pays for the
  // page cache, the TypeScript transform cache and the load generator's JIT, which would count
  // against whichever setting the first pair starts with.
  console.error(`[encryption] ${name} warm-up run (discarded): encryption on`);
  const [warmup] = await runMessagesPhases(name, args, [0], SERVER_ENV.on, checkStoredAs('on'));
  const runs: PairRuns[] = [];
  for (let i = 0; i < pairs; i++) {
    // Alternate which setting goes first, so a machine getting busier or quieter favours neither.
    const order: Setting[] = i % 2 === 0 ? ['on', 'off'] : ['off', 'on'];
    const closed = {} as Record<Setting, MessagesResult>;
    const paced = rate > 0 ? ({} as Record<Setting, MessagesResult>) : null;
    for (const setting of order) {
      console.error(`[encryption] ${name} pair ${i + 1}/${pairs}: encryption ${setting}`);
      // One server per setting and pair: the closed loop, then (same store) the paced run.
      const [ceiling, atRate] = await runMessagesPhases(
        name,
        args,
        paced ? [0, rate] : [0],
        SERVER_ENV[setting],
        checkStoredAs(setting),
      );
      closed[setting] = ceiling as MessagesResult;
      if (paced) paced[setting] = atRate as MessagesResult;
    }
    runs.push({ order, closed, paced });
  }
  return {
    target: name === 'pg' ? 'postgresql+nats' : 'sqlite',
    ...summarize(runs),
    warmup: { setting: 'on' as const, closed: warmup as MessagesResult },
    runs: runs.map((r, i) => ({ pair: i + 1, ...r })),
  };
}

/**
 * The send path's CPU on and off in one process (bench/lib/send-cpu-ab.ts): `blocks` alternating
 * pairs of blocks of sends, so a cost shows apart from the machine's drift and the order.
 */
async function inProcess(blocks: number, perBlock: number) {
  const ab = await sendCpuAb(blocks, perBlock);
  const ratios = ab.usPerSend.on.map((on, i) => on / (ab.usPerSend.off[i] as number));
  return {
    ...ab,
    usPerSendOn: median(ab.usPerSend.on),
    usPerSendOff: median(ab.usPerSend.off),
    ratios: ratios.map((r) => round(r)),
    medianRatio: round(median(ratios)),
    ...splitOrder(
      ratios,
      ratios.map((_, i) => i % 2 === 0),
    ),
  };
}

/**
 * `encryption`: the cost of encryption at rest (issue 6). The `messages` load, each run on a fresh
 * store, with `security.encryptAtRest` on and off in `--runs` interleaved pairs (default 3) after
 * one discarded warm-up run: closed loop for the ceiling (`--window`), then on the same server paced
 * at `--rate` (default 1,600/s; 0 skips it) for latency. Every run's store is checked to hold what
 * its setting says. Reports each setting's medians, the median of the pairs' on/off ratios, the
 * cost and order effect apart (splitOrder), every run's server CPU per message, the send path's CPU
 * on and off measured in one process (`sendPath`), and the load average and socket counts before
 * and after.
 */
export async function runEncryptionBench(args: BenchArgs) {
  assertSwitchExists();
  const which = String(args.flags.target ?? 'sqlite');
  const targets: Array<'sqlite' | 'pg'> = which === 'both' ? ['sqlite', 'pg'] : [which as 'sqlite' | 'pg'];
  const pairs = Number(args.flags.runs ?? 3);
  const rate = Number(args.flags.rate ?? 1600);
  const before = machineState();
  const results = [];
  for (const t of targets) results.push(await runPairs(t, args, pairs, rate));
  console.error('[encryption] in-process send CPU, on and off in alternating blocks');
  // Ten pairs of blocks; --duration 10 makes blocks of 1,000 sends.
  const sendPath = await inProcess(10, Math.max(50, Math.round(100 * args.duration)));
  return {
    scenario: 'encryption',
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, cpu: cpus()[0]?.model ?? '', node: process.version },
    before,
    after: machineState(),
    pairs,
    results,
    sendPath,
  };
}
