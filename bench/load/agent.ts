/**
 * A load agent: a child process forked by the fleet (fleet.ts), bundled to plain JS so it runs
 * without tsx. It holds its share of the connections in one ConnPool and obeys AgentCommands over
 * IPC, answering with AgentReports: connect at a fixed arrival rate, stats, traffic, reconnect, close.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { ConnPool, type PoolListener } from './conn-pool.ts';
import { Histogram } from './histogram.ts';
import { TrafficRun } from './traffic-run.ts';
import type { AgentCommand, AgentReport, AgentStats, Credential } from './types.ts';

/** The connect command, with the additive `firstIndex` (global index of credentials[0]). */
type ConnectCommand = Extract<AgentCommand, { type: 'connect' }> & { firstIndex?: number };
type TrafficCommand = Extract<AgentCommand, { type: 'traffic' }> & { prefix?: string };
type ReconnectCommand = Extract<AgentCommand, { type: 'reconnect' }>;

/** How often arrivals are started; each tick starts the attempts that are due, up to MAX_BURST_MS' worth. */
const ARRIVAL_TICK_MS = 2;
/**
 * An agent behind its schedule starts at most this many milliseconds of arrivals per tick: a
 * catch-up of every overdue attempt at once blocked its event loop for seconds, so it stopped
 * reading its open connections (heartbeats, the server's pings) and the server dropped them.
 * Behind, it offers less than the asked rate; the achieved rate says so.
 */
const MAX_BURST_MS = 50;
/** A reconnected connection whose first request is not answered by then counts as unanswered. */
const FIRST_ANSWER_TIMEOUT_MS = 30_000;

function send(report: AgentReport): void {
  process.send?.(report);
}

/** Start `count` attempts at `ratePerSec` (open model: on schedule whatever the server does). */
function arrive(count: number, ratePerSec: number, start: (k: number) => void): Promise<void> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const interval = ratePerSec > 0 ? 1000 / ratePerSec : 0;
    const burst = interval === 0 ? count : Math.max(1, Math.ceil(MAX_BURST_MS / interval));
    let k = 0;
    const tick = (): void => {
      const due =
        interval === 0 ? count : Math.min(count, Math.floor((performance.now() - t0) / interval) + 1);
      const until = Math.min(due, k + burst);
      while (k < until) start(k++);
      if (k >= count) {
        clearInterval(timer);
        resolve();
      }
    };
    const timer = setInterval(tick, ARRIVAL_TICK_MS);
    tick();
  });
}

/** Resolves when `done()` holds, checking every 20 ms. */
function until(done: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    if (done()) return resolve();
    const timer = setInterval(() => {
      if (!done()) return;
      clearInterval(timer);
      resolve();
    }, 20);
  });
}

class Agent implements PoolListener {
  private readonly pool: ConnPool;
  /** Slot -> global connection index, and back. */
  private readonly globalOf: number[] = [];
  private readonly slotOf = new Map<number, number>();
  private nextIndex: number;
  /** Traffic runs in progress (a fleet may run plans side by side). */
  private readonly traffic = new Set<TrafficRun>();
  /** Reconnected slots waiting for the answer to their first request: request id or 'ping'. */
  private readonly awaiting = new Map<number, string>();
  private firstAnswer = new Histogram();
  private reconnectRequest: { op: string; body: string } | undefined;
  /** performance.now() of the last hello of a reconnecting slot. */
  private lastReconnectHello = 0;
  private messageEvents = 0;
  private syncHints = 0;
  /** Event-loop delay since the last stats: a stalled agent stops answering its connections' pings. */
  private readonly loopDelay = monitorEventLoopDelay({ resolution: 20 });

  constructor(init: Extract<AgentCommand, { type: 'init' }>) {
    this.nextIndex = init.base;
    this.pool = new ConnPool(
      {
        host: init.host,
        port: init.port,
        sourceAddresses: init.sourceAddresses,
        ...(init.heartbeatMs === undefined ? {} : { heartbeatMs: init.heartbeatMs }),
        ...(init.portShare === undefined ? {} : { portShare: init.portShare }),
      },
      this,
    );
    this.loopDelay.enable();
  }

  stats(): AgentStats {
    const cpu = process.cpuUsage();
    // With --expose-gc the heap figure is what the connections keep, not garbage awaiting collection.
    (globalThis as { gc?: () => void }).gc?.();
    const mem = process.memoryUsage();
    const loopDelayMaxMs = Math.round(this.loopDelay.max / 1e6);
    this.loopDelay.reset();
    return {
      loopDelayMaxMs,
      pid: process.pid,
      open: this.pool.open,
      attempted: this.pool.attempted,
      established: this.pool.established,
      closedByUs: this.pool.closedByUs,
      failures: { ...this.pool.failures, samples: [...this.pool.failures.samples] },
      connectLatency: this.pool.connectLatency.toData(),
      rssBytes: mem.rss,
      heapUsedBytes: mem.heapUsed,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      messageEvents: this.messageEvents,
      syncHints: this.syncHints,
    };
  }

  async connect(cmd: ConnectCommand): Promise<void> {
    const first = cmd.firstIndex ?? this.nextIndex;
    const slots = cmd.credentials.map((c: Credential, i) => {
      const slot = this.pool.add(c.accessToken);
      this.globalOf[slot] = first + i;
      this.slotOf.set(first + i, slot);
      return slot;
    });
    this.nextIndex = first + cmd.credentials.length;
    await arrive(slots.length, cmd.ratePerSec, (k) => this.pool.connect(slots[k]!));
    await until(() => this.pool.connecting === 0);
    send({ type: 'connected', stats: this.stats() });
  }

  async runTraffic(cmd: TrafficCommand): Promise<void> {
    const prefix = cmd.prefix ?? `t${process.pid}`;
    const run = new TrafficRun(this.pool, cmd.plan, prefix, this.slotOf);
    this.traffic.add(run);
    let result;
    try {
      result = await run.run();
    } finally {
      run.stop();
      this.traffic.delete(run);
    }
    send({ type: 'traffic', reqId: cmd.reqId, result });
  }

  async reconnect(cmd: ReconnectCommand): Promise<void> {
    const open: number[] = [];
    for (let slot = 0; slot < this.pool.size; slot++) if (this.pool.isOpen(slot)) open.push(slot);
    // Every k-th open connection, so the reconnecting ones are spread over users and addresses.
    const count = Math.min(cmd.count, open.length);
    const step = count === 0 ? 1 : open.length / count;
    const chosen = Array.from({ length: count }, (_, i) => open[Math.floor(i * step)]!);
    this.firstAnswer = new Histogram();
    this.reconnectRequest =
      cmd.syncOp === undefined ? undefined : { op: cmd.syncOp, body: cmd.syncBody ?? '{}' };
    for (const slot of chosen) this.pool.close(slot);
    await until(() => chosen.every((slot) => !this.pool.isOpen(slot)) && this.pool.lingering === 0);
    const t0 = performance.now();
    this.lastReconnectHello = t0;
    for (const slot of chosen) this.awaiting.set(slot, '');
    await arrive(chosen.length, cmd.ratePerSec, (k) => this.pool.connect(chosen[k]!));
    await until(() => this.pool.connecting === 0);
    const answeredBy = performance.now() + FIRST_ANSWER_TIMEOUT_MS;
    // A slot whose attempt failed never gets an answer: only open ones are waited for.
    await until(
      () =>
        [...this.awaiting.keys()].every((slot) => !this.pool.isOpen(slot)) || performance.now() > answeredBy,
    );
    this.awaiting.clear();
    send({
      type: 'reconnected',
      reqId: cmd.reqId,
      stats: this.stats(),
      firstAnswer: this.firstAnswer.toData(),
      elapsedSec: (performance.now() - t0) / 1000,
      connectSec: (this.lastReconnectHello - t0) / 1000,
    });
  }

  async close(): Promise<void> {
    for (let slot = 0; slot < this.pool.size; slot++) this.pool.close(slot);
    const deadline = performance.now() + 3_000;
    await until(() => this.pool.lingering === 0 || performance.now() > deadline);
    this.pool.destroy();
  }

  // ---- PoolListener ----

  opened(slot: number): void {
    if (!this.awaiting.has(slot)) return;
    this.lastReconnectHello = performance.now();
    const req = this.reconnectRequest;
    if (req) this.awaiting.set(slot, this.pool.request(slot, req.op, req.body) ?? '');
    else {
      this.awaiting.set(slot, 'ping');
      this.pool.ping(slot);
    }
  }

  response(slot: number, id: string, ok: boolean, code: string | undefined): void {
    for (const run of this.traffic) if (run.response(id, ok, code)) return;
    if (this.awaiting.get(slot) === id) this.answered(slot);
  }

  event(slot: number, text: string): void {
    if (text.includes('"message.created.v1"')) this.messageEvents++;
    else if (text.includes('"sync.hint.v1"')) this.syncHints++;
    for (const run of this.traffic) run.event(this.globalOf[slot]!, text);
  }

  pong(slot: number): void {
    if (this.awaiting.get(slot) === 'ping') this.answered(slot);
  }

  private answered(slot: number): void {
    this.firstAnswer.record(performance.now() - this.pool.attemptStart(slot));
    this.awaiting.delete(slot);
  }
}

let agent: Agent | undefined;

/** Report and exit: the fleet rejects whatever it awaited from this agent. */
function fatal(err: unknown): void {
  const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
  if (process.send) process.send({ type: 'fatal', message } satisfies AgentReport, () => process.exit(1));
  else process.exit(1);
}

process.on('message', (msg: AgentCommand) => {
  if (msg.type === 'init') {
    agent = new Agent(msg);
    return;
  }
  if (!agent) return fatal(new Error(`${msg.type} before init`));
  switch (msg.type) {
    case 'connect':
      agent.connect(msg).catch(fatal);
      return;
    case 'stats':
      send({ type: 'stats', reqId: msg.reqId, stats: agent.stats() });
      return;
    case 'traffic':
      agent.runTraffic(msg).catch(fatal);
      return;
    case 'reconnect':
      agent.reconnect(msg).catch(fatal);
      return;
    case 'close':
      agent
        .close()
        .catch(fatal)
        .finally(() => process.disconnect());
      return;
  }
});
// The parent going away ends the agent (its sockets die with it).
process.on('disconnect', () => process.exit(0));
send({ type: 'ready', pid: process.pid });
