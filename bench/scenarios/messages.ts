import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { PROTOCOL_VERSION } from '@zhixin/protocol';
import { percentile, type BenchArgs } from '../lib/args.ts';
import { seedMediaFiles, type MediaSet } from '../lib/media-files.ts';
import { seedUsers, type SeededUser } from '../lib/seed.ts';
import { benchEnv, freePort, prepareTarget, startServer, stopServer, type Target } from '../lib/server.ts';

/**
 * The message mix of R-X2 ("rich-media messages"): text, image, file, voice and video in turn. Media
 * messages name the sender's own files, uploaded before the run (the bytes travel over the upload
 * API, not measured here); the send time rides in the client id so receivers can compute latency.
 */
function richContent(n: number, media: MediaSet): Record<string, unknown> {
  switch (n % 5) {
    case 0:
      return media.image;
    case 1:
      return media.file;
    case 2:
      return media.voice;
    case 3:
      return media.video;
    default:
      return { kind: 'text', text: `压测消息 bench message ${n}` };
  }
}

/** The send time (epoch ms) in a client id made by `BenchClient.send` (`…_<µs since epoch>`). */
function sentAtOf(clientId: string | undefined): number {
  return Number(clientId?.split('_')[1]) / 1000;
}

export interface Tally {
  acked: number;
  delivered: number;
  errors: number;
  ackLatency: number[];
  e2eLatency: number[];
}

/** One load-generating client: keeps `window` sends in flight, records acks and deliveries. */
export class BenchClient {
  private ws!: WebSocket;
  private nextId = 0;
  private readonly pending = new Map<string, number>();
  private turn = 0;
  running = false;

  constructor(
    private readonly user: SeededUser,
    private readonly url: string,
    readonly window: number,
    private readonly tally: () => Tally | null,
    private readonly media: MediaSet,
  ) {}

  async connect(): Promise<void> {
    this.ws = new WebSocket(this.url, { perMessageDeflate: false });
    await new Promise<void>((resolve, reject) => {
      this.ws.once('error', reject);
      this.ws.once('open', () => {
        this.ws.send(
          JSON.stringify({ type: 'auth', v: PROTOCOL_VERSION, accessToken: this.user.accessToken }),
        );
      });
      this.ws.on('message', (data) => {
        const frame = JSON.parse(String(data)) as {
          type: string;
          id?: string;
          ok?: boolean;
          event?: string;
          body?: unknown;
        };
        if (frame.type === 'hello') resolve();
        else if (frame.type === 'res') this.onResponse(frame.id as string, frame.ok === true);
        else if (frame.type === 'event' && frame.event === 'message.created.v1') this.onDelivery(frame.body);
        else if (frame.type === 'bye') reject(new Error(`bye: ${JSON.stringify(frame)}`));
      });
    });
  }

  private onResponse(id: string, ok: boolean): void {
    const sentAt = this.pending.get(id);
    if (sentAt === undefined) return;
    this.pending.delete(id);
    const t = this.tally();
    if (t) {
      if (ok) {
        t.acked++;
        t.ackLatency.push(performance.now() - sentAt);
      } else t.errors++;
    }
    if (this.running && this.window > 0) this.send();
  }

  private onDelivery(body: unknown): void {
    const t = this.tally();
    if (!t) return;
    const sentAt = sentAtOf((body as { clientId?: string }).clientId);
    t.delivered++;
    if (Number.isFinite(sentAt)) t.e2eLatency.push(performance.timeOrigin + performance.now() - sentAt);
  }

  send(): void {
    const id = String(++this.nextId);
    const conversationId = this.user.targets[this.turn++ % this.user.targets.length] as string;
    const wall = performance.timeOrigin + performance.now();
    const body = {
      conversationId,
      clientId: `b${this.user.userId.slice(-8)}${id.padStart(8, '0')}_${Math.round(wall * 1000)}`,
      content: richContent(this.nextId, this.media),
    };
    this.pending.set(id, performance.now());
    this.ws.send(JSON.stringify({ type: 'req', id, op: 'messages.send', body }));
  }

  start(): void {
    this.running = true;
    for (let i = 0; i < this.window; i++) this.send();
  }

  async drain(): Promise<void> {
    this.running = false;
    const until = Date.now() + 10_000;
    while (this.pending.size > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
  }

  close(): void {
    this.ws.close();
  }
}

/** Send `rate` messages per second spread round-robin over the clients, until stopped. */
export function pace(clients: BenchClient[], rate: number): { stop(): void } {
  const t0 = performance.now();
  let sent = 0;
  let next = 0;
  for (const c of clients) c.running = true;
  const timer = setInterval(() => {
    const due = Math.floor(((performance.now() - t0) / 1000) * rate);
    for (; sent < due; sent++) (clients[next++ % clients.length] as BenchClient).send();
  }, 5);
  return { stop: () => clearInterval(timer) };
}

/** What the server under load holds for the measurements. */
interface LoadContext {
  name: 'sqlite' | 'pg';
  args: BenchArgs;
  port: number;
  /** The server process, whose CPU time is read around the measurement (Linux only). */
  serverPid: number | undefined;
  users: SeededUser[];
  media: MediaSet[];
}

/**
 * CPU time (user + system, ms) a process has used so far, from /proc (clock ticks of 10 ms); null
 * where there is no /proc. Unlike throughput, CPU per message hardly moves with the machine's load.
 */
function processCpuMs(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

/**
 * One measurement with freshly connected clients: closed loop (`rate` 0: `--window` sends in flight
 * per client) finds the ceiling; paced (`rate` R messages/s over all clients, open loop) shows the
 * latency at a given load, e.g. R-X2's 1,600.
 */
async function measure({ name, args, port, serverPid, users, media }: LoadContext, rate: number) {
  const workers = Number(args.flags.workers ?? 1);
  const window = Number(args.flags.window ?? 2);
  let tally: Tally | null = null;
  const perClient = rate > 0 ? 0 : window;
  const clients = users.map(
    (u, i) => new BenchClient(u, `ws://127.0.0.1:${port}/ws`, perClient, () => tally, media[i] as MediaSet),
  );
  for (let i = 0; i < clients.length; i += 50)
    await Promise.all(clients.slice(i, i + 50).map((c) => c.connect()));
  console.error(`[${name}] ${clients.length} clients connected; warming up…`);
  const pacer = rate > 0 ? pace(clients, rate) : undefined;
  if (!pacer) for (const c of clients) c.start();
  await new Promise((r) => setTimeout(r, 3000));
  tally = { acked: 0, delivered: 0, errors: 0, ackLatency: [], e2eLatency: [] };
  const t0 = performance.now();
  const cpu0 = processCpuMs(serverPid);
  await new Promise((r) => setTimeout(r, args.duration * 1000));
  const measured: Tally = tally;
  const seconds = (performance.now() - t0) / 1000;
  const cpu1 = processCpuMs(serverPid);
  tally = null;
  pacer?.stop();
  await Promise.all(clients.map((c) => c.drain()));
  for (const c of clients) c.close();
  const result = {
    target: name === 'pg' ? 'postgresql+nats' : 'sqlite',
    workers,
    clients: args.n,
    mode: rate > 0 ? `paced ${rate}/s` : `closed loop, ${window} in flight per client`,
    groupSize: Number(args.flags['group-size'] ?? 10),
    seconds: Number(seconds.toFixed(1)),
    persistedPerSecond: Math.round(measured.acked / seconds),
    deliveredPerSecond: Math.round(measured.delivered / seconds),
    errors: measured.errors,
    ackP50Ms: Number(percentile(measured.ackLatency, 50).toFixed(2)),
    ackP99Ms: Number(percentile(measured.ackLatency, 99).toFixed(2)),
    e2eP50Ms: Number(percentile(measured.e2eLatency, 50).toFixed(2)),
    e2eP99Ms: Number(percentile(measured.e2eLatency, 99).toFixed(2)),
    /** Server CPU (user + system) per persisted message over the window, in µs; null without /proc. */
    serverCpuUsPerMessage:
      cpu0 === null || cpu1 === null || measured.acked === 0
        ? null
        : Math.round(((cpu1 - cpu0) * 1000) / measured.acked),
  };
  console.error(`[${name}] ${JSON.stringify(result)}`);
  return result;
}

export type MessagesResult = Awaited<ReturnType<typeof measure>>;

/**
 * One server on a fresh store: seed, start it (with `serverEnv` on top of the bench environment,
 * e.g. the `encryption` scenario's switch), upload the media, measure once per entry of `rates`
 * (0: closed loop), let `afterRun` look at the store, stop the server.
 */
export async function runMessagesPhases(
  name: 'sqlite' | 'pg',
  args: BenchArgs,
  rates: readonly number[],
  serverEnv: NodeJS.ProcessEnv = {},
  afterRun?: (target: Target) => Promise<void>,
): Promise<MessagesResult[]> {
  const workers = Number(args.flags.workers ?? 1);
  const groupSize = Number(args.flags['group-size'] ?? 10);
  const target = await prepareTarget(name);
  console.error(`[${name}] seeding ${args.n} users…`);
  const users = await seedUsers(target, args.n, groupSize);
  const port = await freePort();
  const server = await startServer({ ...benchEnv(target, port, workers), ...serverEnv }, port);
  try {
    console.error(`[${name}] uploading each user's media files…`);
    const media = await seedMediaFiles(
      `http://127.0.0.1:${port}`,
      users.map((u) => u.accessToken),
    );
    const results = [];
    const load = { name, args, port, serverPid: server.pid, users, media };
    for (const rate of rates) results.push(await measure(load, rate));
    await afterRun?.(target);
    return results;
  } finally {
    await stopServer(server);
  }
}

/**
 * `messages`: N clients, each in a direct chat and a group, send text in a closed loop (`--window`
 * in flight each) for `--duration` seconds; prints sustained persisted and delivered messages/s and
 * p50/p99 ack and end-to-end latency, for SQLite and for PostgreSQL+NATS (`--target sqlite|pg|both`).
 */
export async function runMessagesBench(args: BenchArgs) {
  const which = String(args.flags.target ?? 'both');
  const targets: Array<'sqlite' | 'pg'> = which === 'both' ? ['sqlite', 'pg'] : [which as 'sqlite' | 'pg'];
  const rate = Number(args.flags.rate ?? 0);
  const results = [];
  for (const t of targets) results.push(...(await runMessagesPhases(t, args, [rate])));
  return { scenario: 'messages', date: new Date().toISOString(), results };
}
