import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { PROTOCOL_VERSION } from '@zhixin/protocol';
import { percentile, type BenchArgs } from '../lib/args.ts';
import { seedUsers, type SeededUser } from '../lib/seed.ts';
import { benchEnv, freePort, prepareTarget, startServer, stopServer } from '../lib/server.ts';

interface Tally {
  acked: number;
  delivered: number;
  errors: number;
  ackLatency: number[];
  e2eLatency: number[];
}

/** One load-generating client: keeps `window` sends in flight, records acks and deliveries. */
class BenchClient {
  private ws!: WebSocket;
  private nextId = 0;
  private readonly pending = new Map<string, number>();
  private turn = 0;
  running = false;

  constructor(
    private readonly user: SeededUser,
    private readonly url: string,
    private readonly window: number,
    private readonly tally: () => Tally | null,
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
    if (this.running) this.send();
  }

  private onDelivery(body: unknown): void {
    const t = this.tally();
    if (!t) return;
    const text = (body as { content?: { text?: string } }).content?.text ?? '';
    const sentAt = Number(text.split('|')[1]);
    t.delivered++;
    if (Number.isFinite(sentAt)) t.e2eLatency.push(performance.timeOrigin + performance.now() - sentAt);
  }

  send(): void {
    const id = String(++this.nextId);
    const conversationId = this.user.targets[this.turn++ % this.user.targets.length] as string;
    const wall = performance.timeOrigin + performance.now();
    const body = {
      conversationId,
      clientId: `b${this.user.userId.slice(-8)}${id.padStart(8, '0')}`,
      content: { kind: 'text', text: `压测消息 bench message|${wall}|${id}` },
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

async function runTarget(name: 'sqlite' | 'pg', args: BenchArgs) {
  const workers = Number(args.flags.workers ?? 1);
  const window = Number(args.flags.window ?? 2);
  const groupSize = Number(args.flags['group-size'] ?? 10);
  const target = await prepareTarget(name);
  console.error(`[${name}] seeding ${args.n} users…`);
  const users = await seedUsers(target, args.n, groupSize);
  const port = await freePort();
  const server = await startServer(benchEnv(target, port, workers), port);
  try {
    let tally: Tally | null = null;
    const clients = users.map((u) => new BenchClient(u, `ws://127.0.0.1:${port}/ws`, window, () => tally));
    for (let i = 0; i < clients.length; i += 50)
      await Promise.all(clients.slice(i, i + 50).map((c) => c.connect()));
    console.error(`[${name}] ${clients.length} clients connected; warming up…`);
    for (const c of clients) c.start();
    await new Promise((r) => setTimeout(r, 3000));
    tally = { acked: 0, delivered: 0, errors: 0, ackLatency: [], e2eLatency: [] };
    const t0 = performance.now();
    await new Promise((r) => setTimeout(r, args.duration * 1000));
    const measured: Tally = tally;
    const seconds = (performance.now() - t0) / 1000;
    tally = null;
    await Promise.all(clients.map((c) => c.drain()));
    for (const c of clients) c.close();
    const result = {
      target: name === 'pg' ? 'postgresql+nats' : 'sqlite',
      workers,
      clients: args.n,
      window,
      groupSize,
      seconds: Number(seconds.toFixed(1)),
      persistedPerSecond: Math.round(measured.acked / seconds),
      deliveredPerSecond: Math.round(measured.delivered / seconds),
      errors: measured.errors,
      ackP50Ms: Number(percentile(measured.ackLatency, 50).toFixed(2)),
      ackP99Ms: Number(percentile(measured.ackLatency, 99).toFixed(2)),
      e2eP50Ms: Number(percentile(measured.e2eLatency, 50).toFixed(2)),
      e2eP99Ms: Number(percentile(measured.e2eLatency, 99).toFixed(2)),
    };
    console.error(`[${name}] ${JSON.stringify(result)}`);
    return result;
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
  const results = [];
  for (const t of targets) results.push(await runTarget(t, args));
  return { scenario: 'messages', date: new Date().toISOString(), results };
}
