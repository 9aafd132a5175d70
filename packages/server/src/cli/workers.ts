import cluster, { type Worker } from 'node:cluster';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Config } from '../config.ts';
import { Subjects } from '../gateway/subjects.ts';
import { MemoryBroker } from '../platform/broker/index.ts';
import { IPC_BROKER_ENV } from '../platform/broker/ipc.ts';
import { IpcRelay } from '../platform/broker/ipc-relay.ts';
import { AcceptBalancer, isAcceptReport } from './accept-balance.ts';
import { newId } from '../platform/ids.ts';
import {
  embeddedJanusBinary,
  SHARED_JANUS_ENV,
  startManagedJanus,
  type ManagedJanus,
} from '../platform/media/index.ts';
import { createLogger, type Logger } from '../platform/logger.ts';
import { createPlatform, type PlatformOverrides } from '../platform/platform.ts';

export interface PrimaryOptions {
  log: Logger;
  /** The script workers run; default: this process's entry point with its arguments (`zhixin start`). */
  exec?: string;
  args?: string[];
  execArgv?: string[];
  /** First delay before restarting a crashed worker; doubles while it keeps crashing young. */
  restartDelayMs?: number;
  /** Called when workers cannot even start (e.g. the port is taken); the caller should exit. */
  onFatal?: (reason: string) => void;
  /** Added to every worker's environment (e.g. the node's shared Janus). */
  workerEnv?: Record<string, string>;
}

export interface WorkerStatus {
  slot: number;
  nodeId: string;
  pid: number | undefined;
  listening: boolean;
}

/** The cluster primary: it serves nothing itself, it forks, relays and restarts. */
export interface Primary {
  /** The IPC relay between workers, when they run without NATS. */
  readonly relay: IpcRelay | undefined;
  /** Resolves with the shared port once every worker listens. */
  readonly listening: Promise<number>;
  workers(): Worker[];
  /** Each worker slot: its node id, process and whether it listens yet. */
  status(): WorkerStatus[];
  /** SIGTERM every worker (each shuts down gracefully), SIGKILL the ones still alive after `timeoutMs`. */
  stop(timeoutMs?: number): Promise<void>;
}

/** A worker that dies this young counts as crashing at start (the delay before its restart grows). */
const YOUNG_MS = 10_000;
const MAX_RESTART_DELAY_MS = 30_000;
/**
 * Workers that exit before ever listening, in a row, before the primary gives up: at least this
 * many, and at least one per worker. A cause every worker shares (the port is taken, a bad setting)
 * fails them all within seconds; a passing one (SQLite busy at start while 32 workers and a heavy
 * machine contend for its lock) fails a few, and they are restarted with backoff.
 */
const MIN_START_FAILURES = 3;

/** The soft limit on open files of this process, from /proc (Linux); undefined elsewhere. */
export function openFileLimit(): number | undefined {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('Max open files'));
    const soft = line?.split(/\s{2,}/)[1];
    return soft && /^\d+$/.test(soft) ? Number(soft) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Fork `config.workers` workers sharing the port, each a full app with its own node id `<base>-w<i>`
 * (stable across restarts, so a restarted worker's first heartbeat re-syncs presence). With
 * `natsUrl` the workers use NATS; otherwise the primary relays their IpcBroker traffic. How they
 * share the port is `config.workerAccept` (accept-balance.ts); Node fixes it at the first fork of
 * the process, so a second primary in one process keeps the first one's.
 */
export function startPrimary(config: Config, opts: PrimaryOptions): Primary {
  if (!cluster.isPrimary) throw new Error('startPrimary runs in the cluster primary only');
  const { log } = opts;
  const relay = config.natsUrl ? undefined : new IpcRelay();
  const base = config.nodeId || newId().slice(-8).toLowerCase();
  const bySlot = new Map<number, { worker: Worker; startedAt: number; listened: boolean }>();
  const delays = new Map<number, number>();
  let stopping = false;
  let startFailures = 0;
  let resolvePort: (port: number) => void = () => {};
  const listening = new Promise<number>((r) => (resolvePort = r));
  const shared = config.workerAccept === 'shared';
  // Shared accept: tell every worker the connections it may hold before it stops accepting.
  const balancer = shared
    ? new AcceptBalancer((m) => {
        for (const { worker } of bySlot.values())
          if (worker.isConnected()) worker.send(m, undefined, () => {});
      })
    : undefined;

  cluster.schedulingPolicy = shared ? cluster.SCHED_NONE : cluster.SCHED_RR;
  cluster.setupPrimary({
    ...(opts.exec ? { exec: opts.exec } : {}),
    ...(opts.args ? { args: opts.args } : {}),
    ...(opts.execArgv ? { execArgv: opts.execArgv } : {}),
  });

  const nodeIdOf = (slot: number) => `${base}-w${slot}`;

  function fork(slot: number): void {
    const env: Record<string, string> = {
      ...opts.workerEnv,
      ZX_NODE_ID: nodeIdOf(slot),
      ZX_WORKER_INDEX: String(slot),
    };
    if (relay) env[IPC_BROKER_ENV] = '1';
    const worker = cluster.fork(env);
    const id = String(worker.id);
    bySlot.set(slot, { worker, startedAt: Date.now(), listened: false });
    relay?.addPeer(id, {
      send: (m) => {
        // With a callback, a closed channel is reported here instead of as an 'error' event.
        if (worker.isConnected()) worker.send(m, undefined, () => {});
      },
    });
    worker.on('message', (m: unknown) => {
      if (isAcceptReport(m)) balancer?.report(id, m.open);
      else relay?.handle(id, m);
    });
    worker.process.on('error', (err) => log.warn({ err, worker: slot }, 'worker channel error'));
    worker.on('listening', (address: AddressInfo) => {
      const entry = bySlot.get(slot);
      if (entry) entry.listened = true;
      startFailures = 0;
      const all = [...bySlot.values()];
      if (all.length === config.workers && all.every((w) => w.listened)) resolvePort(address.port);
    });
    worker.on('exit', (code, signal) => onExit(slot, worker, code, signal));
  }

  function onExit(slot: number, worker: Worker, code: number | null, signal: string | null): void {
    relay?.removePeer(String(worker.id));
    balancer?.remove(String(worker.id));
    const entry = bySlot.get(slot);
    if (entry?.worker !== worker) return;
    bySlot.delete(slot);
    if (stopping) return;
    // Its connections are gone: tell the other workers at once rather than after heartbeats lapse.
    relay?.publish(Subjects.leave, { nodeId: nodeIdOf(slot) });
    if (!entry.listened && ++startFailures >= Math.max(MIN_START_FAILURES, config.workers)) {
      log.fatal({ worker: slot, code, signal }, 'workers exit before listening; giving up');
      opts.onFatal?.('workers cannot start');
      return;
    }
    const young = Date.now() - entry.startedAt < YOUNG_MS;
    const previous = delays.get(slot);
    const delay =
      young && previous !== undefined
        ? Math.min(previous * 2, MAX_RESTART_DELAY_MS)
        : (opts.restartDelayMs ?? 1000);
    delays.set(slot, delay);
    log.warn({ worker: slot, code, signal, restartInMs: delay }, 'worker exited; restarting');
    setTimeout(() => {
      if (!stopping) fork(slot);
    }, delay).unref();
  }

  for (let slot = 0; slot < config.workers; slot++) fork(slot);

  return {
    relay,
    listening,
    workers: () => [...bySlot.values()].map((e) => e.worker),
    status: () =>
      [...bySlot]
        .sort(([x], [y]) => x - y)
        .map(([slot, e]) => ({
          slot,
          nodeId: nodeIdOf(slot),
          pid: e.worker.process.pid,
          listening: e.listened,
        })),
    async stop(timeoutMs = 20_000) {
      stopping = true;
      const alive = [...bySlot.values()].map((e) => e.worker);
      const exited = alive.map((w) =>
        w.isDead() ? Promise.resolve() : new Promise<void>((r) => w.once('exit', () => r())),
      );
      // Not worker.kill(): it disconnects IPC first, and a worker drains its broker through it.
      for (const w of alive) if (!w.isDead()) w.process.kill('SIGTERM');
      const timer = setTimeout(() => {
        for (const w of alive) if (!w.isDead()) w.process.kill('SIGKILL');
      }, timeoutMs);
      await Promise.all(exited);
      clearTimeout(timer);
    },
  };
}

/**
 * The node's one embedded Janus, started by the primary when meetings may use it (`embeddedJanus:
 * auto` and the binary installed), for every worker to share; null otherwise (or when it fails to
 * start: meetings then say media is unavailable, as without Janus). When it exits on its own it is
 * started again on the same ports and secret, which the workers' pools reconnect to.
 */
export async function startSharedJanus(config: Config, log: Logger): Promise<ManagedJanus | null> {
  const binary = embeddedJanusBinary(config.media);
  if (!binary) return null;
  try {
    const janus = await startManagedJanus({ binary, log, restart: true });
    log.info({ janus: janus.server.id, pid: janus.pid }, 'embedded janus started for the workers');
    return janus;
  } catch (err) {
    log.error({ err }, 'could not start the embedded janus');
    return null;
  }
}

/**
 * `zhixin start --workers N`: prepare the database and keys once, then run the cluster primary until
 * SIGINT/SIGTERM. Each worker is one process with its own file limit: on a host where a process may
 * hold 20,000 open files, N workers hold about N x 19,000 connections (Node cannot raise the soft
 * limit itself; raise it with `ulimit -n` or systemd's LimitNOFILE, or add workers).
 */
export async function runWorkers(config: Config, keys: Pick<PlatformOverrides, 'kek'> = {}): Promise<number> {
  const log = createLogger(config.logLevel).child({ role: 'primary' });
  // Migrations and development secrets are made once here, not raced by N workers. `keys.kek`: the
  // primary was unsealed by `zhixin unseal` (cli/start.ts) and hands that KEK to its workers.
  const prepared = await createPlatform(config, { log, broker: new MemoryBroker(), ...keys });
  await prepared.close();
  const fdLimit = openFileLimit();
  const janus = await startSharedJanus(config, log);
  const stopAll = async (timeoutMs?: number) => {
    await primary.stop(timeoutMs);
    await janus?.stop();
  };
  const primary = startPrimary(config, {
    log,
    onFatal: () => void stopAll(5000).then(() => process.exit(1)),
    ...(janus ? { workerEnv: { [SHARED_JANUS_ENV]: JSON.stringify(janus.server) } } : {}),
  });
  void primary.listening.then((port) =>
    log.info(
      { port, workers: config.workers, broker: config.natsUrl ? 'nats' : 'ipc', openFilesPerWorker: fdLimit },
      `Zhixin listening on http://localhost:${port} with ${config.workers} workers`,
    ),
  );
  const stop = (signal: string) => {
    log.info({ signal }, 'shutting down workers');
    void stopAll().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return -1;
}
