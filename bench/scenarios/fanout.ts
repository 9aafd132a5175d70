import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { MAX_GROUP_MEMBERS, PROTOCOL_VERSION } from '@zhixin/protocol';
import { buildApp } from '../../packages/server/src/app.ts';
import { loadConfig } from '../../packages/server/src/config.ts';
import { percentile, type BenchArgs } from '../lib/args.ts';
import { benchEnv, freePort, prepareTarget, startServer, stopServer, type Target } from '../lib/server.ts';

interface Member {
  userId: string;
  sessionId: string;
  accessToken: string;
}

/**
 * One group of `size` members made directly in the target store (no password hashing: accounts
 * are created and vouched in, as quick login does), before the server starts.
 */
async function seedGroup(target: Target, size: number): Promise<{ groupId: string; members: Member[] }> {
  const config = loadConfig({
    env: {},
    file: '',
    overrides: {
      dataDir: target.dataDir,
      databaseUrl: target.databaseUrl,
      logLevel: 'warn',
      auth: { accessTtlSeconds: 7200 },
    },
  });
  const app = await buildApp(config);
  try {
    const stamp = String(Date.now()).slice(-5);
    const members: Member[] = [];
    for (let i = 0; i < size; i += 50) {
      const batch = Array.from({ length: Math.min(50, size - i) }, async (_, j) => {
        const n = i + j;
        const account = await app.services.users.createAccount({
          phone: `+861${String(5_000_000_000 + Number(stamp) * 10_000 + n).slice(-10)}`,
          passwordHash: 'x',
          nickname: `群成员${n}`,
          role: 'user',
        });
        const session = await app.services.auth.loginVouched(account.id, {
          deviceId: `fanout-device-${n}`,
          name: 'bench',
          platform: 'server',
        });
        return { userId: account.id, sessionId: session.sessionId, accessToken: session.tokens.accessToken };
      });
      members.push(...(await Promise.all(batch)));
    }
    const [owner, ...rest] = members as [Member, ...Member[]];
    const group = await app.ops.invoke(
      'groups.create',
      { title: '千人群', memberIds: rest.map((m) => m.userId) },
      { principal: { userId: owner.userId, sessionId: owner.sessionId, role: 'user' }, ip: '127.0.0.1' },
    );
    return { groupId: group.id, members };
  } finally {
    await app.close();
  }
}

interface Tally {
  acked: number;
  errors: number;
  delivered: number;
  latency: number[];
  /** Per message (by text): deliveries seen and the latest delivery latency. */
  perMessage: Map<string, { count: number; last: number }>;
}

/** A lean member: one WebSocket, counts `message.created` events; senders also send. */
class FanoutClient {
  private ws!: WebSocket;
  private nextId = 0;

  constructor(
    private readonly member: Member,
    private readonly url: string,
    private readonly tally: () => Tally | null,
  ) {}

  connect(): Promise<void> {
    this.ws = new WebSocket(this.url, { perMessageDeflate: false });
    return new Promise((resolve, reject) => {
      this.ws.once('error', reject);
      this.ws.once('open', () =>
        this.ws.send(
          JSON.stringify({ type: 'auth', v: PROTOCOL_VERSION, accessToken: this.member.accessToken }),
        ),
      );
      this.ws.on('message', (data) => {
        const frame = JSON.parse(String(data)) as {
          type: string;
          ok?: boolean;
          event?: string;
          body?: unknown;
        };
        if (frame.type === 'hello') resolve();
        else if (frame.type === 'res') this.onResponse(frame.ok === true);
        else if (frame.type === 'event' && frame.event === 'message.created.v1') this.onDelivery(frame.body);
        else if (frame.type === 'bye') reject(new Error(`bye: ${JSON.stringify(frame)}`));
      });
    });
  }

  private onResponse(ok: boolean): void {
    const t = this.tally();
    if (t) {
      if (ok) t.acked++;
      else t.errors++;
    }
  }

  private onDelivery(body: unknown): void {
    const t = this.tally();
    const text = (body as { content?: { text?: string } }).content?.text;
    if (!t || !text?.startsWith('fanout|')) return;
    const latency = performance.timeOrigin + performance.now() - Number(text.split('|')[1]);
    t.delivered++;
    t.latency.push(latency);
    const m = t.perMessage.get(text);
    if (m) {
      m.count++;
      m.last = Math.max(m.last, latency);
    } else t.perMessage.set(text, { count: 1, last: latency });
  }

  send(groupId: string): void {
    const id = String(++this.nextId);
    const wall = performance.timeOrigin + performance.now();
    const body = {
      conversationId: groupId,
      clientId: `f${this.member.userId.slice(-8)}${id.padStart(8, '0')}`,
      content: { kind: 'text', text: `fanout|${wall}|${this.member.userId}|${id}` },
    };
    this.ws.send(JSON.stringify({ type: 'req', id, op: 'messages.send', body }));
  }

  close(): void {
    this.ws.close();
  }
}

async function runTarget(name: 'sqlite' | 'pg', args: BenchArgs) {
  const size = Math.min(MAX_GROUP_MEMBERS, Number(args.flags['group-size'] ?? MAX_GROUP_MEMBERS));
  const rate = Number(args.flags.rate ?? 20);
  const senderCount = Math.min(size, Number(args.flags.senders ?? 10));
  const target = await prepareTarget(name);
  console.error(`[${name}] seeding a group of ${size}…`);
  const { groupId, members } = await seedGroup(target, size);
  const port = await freePort();
  const server = await startServer(benchEnv(target, port, 1), port);
  try {
    let tally: Tally | null = null;
    const clients = members.map((m) => new FanoutClient(m, `ws://127.0.0.1:${port}/ws`, () => tally));
    for (let i = 0; i < clients.length; i += 100)
      await Promise.all(clients.slice(i, i + 100).map((c) => c.connect()));
    console.error(`[${name}] ${clients.length} members online; sending ${rate} messages/s into the group…`);
    const senders = clients.slice(0, senderCount);
    const t0 = performance.now();
    let sent = 0;
    const timer = setInterval(() => {
      const due = Math.floor(((performance.now() - t0) / 1000) * rate);
      for (; sent < due; sent++) (senders[sent % senders.length] as FanoutClient).send(groupId);
    }, 5);
    await new Promise((r) => setTimeout(r, 2000));
    tally = { acked: 0, errors: 0, delivered: 0, latency: [], perMessage: new Map() };
    const m0 = performance.now();
    await new Promise((r) => setTimeout(r, args.duration * 1000));
    clearInterval(timer);
    const seconds = (performance.now() - m0) / 1000;
    // Let deliveries of the last messages land before reading the tally.
    await new Promise((r) => setTimeout(r, 3000));
    const measured = tally as Tally;
    tally = null;
    for (const c of clients) c.close();
    const complete = [...measured.perMessage.values()].filter((m) => m.count >= size - 1);
    const result = {
      target: name === 'pg' ? 'postgresql+nats' : 'sqlite',
      members: size,
      online: clients.length,
      senders: senderCount,
      offeredPerSecond: rate,
      seconds: Number(seconds.toFixed(1)),
      messagesPerSecond: Math.round(measured.acked / seconds),
      deliveriesPerSecond: Math.round(measured.delivered / seconds),
      errors: measured.errors,
      messagesSeen: measured.perMessage.size,
      deliveredToAllMembers: complete.length,
      deliveryP50Ms: Number(percentile(measured.latency, 50).toFixed(1)),
      deliveryP99Ms: Number(percentile(measured.latency, 99).toFixed(1)),
      lastMemberP50Ms: Number(
        percentile(
          complete.map((m) => m.last),
          50,
        ).toFixed(1),
      ),
      lastMemberP99Ms: Number(
        percentile(
          complete.map((m) => m.last),
          99,
        ).toFixed(1),
      ),
    };
    console.error(`[${name}] ${JSON.stringify(result)}`);
    return result;
  } finally {
    await stopServer(server);
  }
}

/**
 * `fanout`: one group of 1,000 members (`--group-size`), all online over lean WebSocket clients;
 * `--senders` members send `--rate` text messages/s into it for `--duration` seconds. Prints
 * messages/s, deliveries/s, p50/p99 delivery latency (send to each member's receipt) and the time
 * until the last member has it, for SQLite and for PostgreSQL+NATS (`--target sqlite|pg|both`).
 */
export async function runFanoutBench(args: BenchArgs) {
  const which = String(args.flags.target ?? 'both');
  const targets: Array<'sqlite' | 'pg'> = which === 'both' ? ['sqlite', 'pg'] : [which as 'sqlite' | 'pg'];
  const results = [];
  for (const t of targets) results.push(await runTarget(t, args));
  return { scenario: 'fanout', date: new Date().toISOString(), results };
}
