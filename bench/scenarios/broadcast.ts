import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { PROTOCOL_VERSION } from '@zhixin/protocol';
import { percentile, type BenchArgs } from '../lib/args.ts';
import { seedBroadcast, type OnlineUser } from '../lib/broadcast-seed.ts';
import { benchEnv, freePort, prepareTarget, startServer, stopServer } from '../lib/server.ts';

interface Frame {
  type: string;
  id?: string;
  ok?: boolean;
  event?: string;
  body?: { senderId?: string; content?: { text?: string } };
}

/** A lean client: authenticates, then only notes when the broadcast's text arrives. */
async function connect(url: string, user: OnlineUser, onFrame: (f: Frame) => void): Promise<WebSocket> {
  const ws = new WebSocket(url, { perMessageDeflate: false });
  await new Promise<void>((resolve, reject) => {
    ws.once('error', reject);
    ws.once('open', () =>
      ws.send(JSON.stringify({ type: 'auth', v: PROTOCOL_VERSION, accessToken: user.accessToken })),
    );
    ws.on('message', (data) => {
      const f = JSON.parse(String(data)) as Frame;
      if (f.type === 'hello') resolve();
      onFrame(f);
    });
  });
  return ws;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Ordinary traffic between other users: each pair sends a text every `intervalMs` over its
 * WebSocket and records the ack latency (send → committed answer).
 */
class Chatter {
  readonly latencies: number[] = [];
  private running = false;
  private seq = 0;
  private readonly pending = new Map<string, number>();

  constructor(
    private readonly ws: WebSocket,
    private readonly conversationId: string,
    private readonly intervalMs: number,
  ) {
    ws.on('message', (data) => {
      const f = JSON.parse(String(data)) as Frame;
      if (f.type !== 'res' || !f.id) return;
      const at = this.pending.get(f.id);
      if (at === undefined) return;
      this.pending.delete(f.id);
      if (f.ok) this.latencies.push(performance.now() - at);
    });
  }

  async run(until: () => boolean): Promise<void> {
    this.running = true;
    while (this.running && !until()) {
      const id = `c${this.seq++}`;
      this.pending.set(id, performance.now());
      this.ws.send(
        JSON.stringify({
          type: 'req',
          id,
          op: 'messages.send',
          body: {
            conversationId: this.conversationId,
            clientId: `chat-${process.pid}-${id}-${Math.random().toString(36).slice(2, 10)}`,
            content: { kind: 'text', text: '普通消息 ordinary message' },
          },
        }),
      );
      await sleep(this.intervalMs);
    }
  }
}

function stats(values: number[]) {
  return {
    count: values.length,
    p50Ms: Number(percentile(values, 50).toFixed(1)),
    p99Ms: Number(percentile(values, 99).toFixed(1)),
  };
}

/**
 * `npm run bench -- broadcast [--users 85000] [--n 2000] [--target sqlite|pg] [--workers 1]`:
 * `users` accounts, `n` of them online over WebSocket; the operations account broadcasts to
 * everyone (one post in its channel). Measures the time until every online client has the
 * message, the time until the broadcast is stored for everyone (status done), and the ack latency
 * of ordinary messages between 20 pairs of other online users before and during the broadcast.
 */
export async function runBroadcastBench(args: BenchArgs) {
  const users = Number(args.flags.users ?? 85_000);
  const onlineCount = Math.min(args.n === 100 && args.flags.n === undefined ? 2000 : args.n, users);
  const pairCount = 20;
  const name = (args.flags.target as 'sqlite' | 'pg' | undefined) ?? 'sqlite';
  const workers = Number(args.flags.workers ?? 1);
  const target = await prepareTarget(name);
  console.error(`seeding ${users} users (${onlineCount} online) into ${name}`);
  const seed = await seedBroadcast(target, users, onlineCount, pairCount);
  console.error(`seeded in ${(seed.seedMs / 1000).toFixed(1)} s`);
  const port = await freePort();
  const server = await startServer(benchEnv(target, port, workers), port);
  const url = `ws://127.0.0.1:${port}/ws`;
  const text = `运营广播 broadcast ${Date.now()}`;
  const chatterIds = new Set(seed.pairs.flatMap((p) => [p.a.userId, p.b.userId]));
  const receivers = seed.online.filter((u) => !chatterIds.has(u.userId));
  let sentAt = 0;
  const arrivals: number[] = [];
  const sockets: WebSocket[] = [];
  try {
    for (let i = 0; i < receivers.length; i += 100) {
      const chunk = receivers.slice(i, i + 100);
      sockets.push(
        ...(await Promise.all(
          chunk.map((u) =>
            connect(url, u, (f) => {
              if (f.type === 'event' && f.event === 'message.created.v1' && f.body?.content?.text === text) {
                arrivals.push(performance.now() - sentAt);
              }
            }),
          ),
        )),
      );
    }
    const chatters: Chatter[] = [];
    for (const p of seed.pairs) {
      const ws = await connect(url, p.a, () => undefined);
      sockets.push(ws);
      chatters.push(new Chatter(ws, p.conversationId, 100));
    }
    console.error(`${receivers.length} receivers and ${chatters.length} chatting users connected`);

    // Baseline: ordinary traffic alone.
    const baselineEnd = performance.now() + 5000;
    await Promise.all(chatters.map((c) => c.run(() => performance.now() > baselineEnd)));
    await sleep(300);
    const baseline = chatters.flatMap((c) => c.latencies.splice(0));

    let done = false;
    const during = Promise.all(chatters.map((c) => c.run(() => done)));
    sentAt = performance.now();
    const res = await fetch(`http://127.0.0.1:${port}/api/v1/ops-account/broadcasts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${seed.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ target: { all: true }, text }),
    });
    const started = (await res.json()) as { id: string; total: number };
    const answerMs = performance.now() - sentAt;
    if (!res.ok) throw new Error(`opsAccount.send failed: ${JSON.stringify(started)}`);
    console.error(`broadcast ${started.id} to ${started.total} accepted in ${answerMs.toFixed(0)} ms`);

    let allOnlineMs: number | null = null;
    let storedMs: number | null = null;
    let delivered = 0;
    const deadline = performance.now() + 30 * 60_000;
    while (storedMs === null && performance.now() < deadline) {
      await sleep(250);
      if (allOnlineMs === null && arrivals.length >= receivers.length) allOnlineMs = Math.max(...arrivals);
      const list = await fetch(`http://127.0.0.1:${port}/api/v1/ops-account/broadcasts?limit=1`, {
        headers: { authorization: `Bearer ${seed.adminToken}` },
      });
      const body = (await list.json()) as { broadcasts: Array<{ status: string; delivered: number }> };
      const b = body.broadcasts[0];
      delivered = b?.delivered ?? 0;
      if (b?.status === 'done') storedMs = performance.now() - sentAt;
      else if (Math.round(performance.now()) % 5000 < 250)
        console.error(`delivered ${delivered}/${started.total}`);
    }
    done = true;
    await during;
    await sleep(300);
    if (allOnlineMs === null && arrivals.length >= receivers.length) allOnlineMs = Math.max(...arrivals);
    const duringBroadcast = chatters.flatMap((c) => c.latencies);
    const storedSeconds = storedMs === null ? null : storedMs / 1000;
    return {
      scenario: 'broadcast',
      target: name,
      workers,
      users,
      online: receivers.length,
      seedSeconds: Number((seed.seedMs / 1000).toFixed(1)),
      sendAnswerMs: Number(answerMs.toFixed(1)),
      onlineReceived: arrivals.length,
      timeToAllOnlineMs: allOnlineMs === null ? null : Number(allOnlineMs.toFixed(0)),
      onlineArrivalP50Ms: Number(percentile(arrivals, 50).toFixed(0)),
      timeToStoreAllMs: storedMs === null ? null : Number(storedMs.toFixed(0)),
      stored: delivered,
      storedPerSecond: storedSeconds ? Math.round(delivered / storedSeconds) : null,
      ordinaryBaseline: stats(baseline),
      ordinaryDuringBroadcast: stats(duringBroadcast),
    };
  } finally {
    for (const ws of sockets) ws.close();
    await stopServer(server);
  }
}
