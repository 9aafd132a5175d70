import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { PROTOCOL_VERSION } from '@zhixin/protocol';
import { buildApp } from '../../packages/server/src/app.ts';
import { loadConfig } from '../../packages/server/src/config.ts';
import { percentile, type BenchArgs } from '../lib/args.ts';
import { benchEnv, freePort, prepareTarget, startServer, stopServer, type Target } from '../lib/server.ts';

interface Person {
  userId: string;
  sessionId: string;
  accessToken: string;
}

/** `n` users in pairs, each pair with its direct chat, made in the target store before the server starts. */
async function seedPairs(target: Target, n: number): Promise<Array<{ a: Person; b: Person; chat: string }>> {
  const config = loadConfig({
    env: {},
    file: '',
    overrides: {
      dataDir: target.dataDir,
      databaseUrl: target.databaseUrl,
      logLevel: 'warn',
      auth: { accessTtlSeconds: 7200 },
      media: { embeddedJanus: 'off' },
    },
  });
  const app = await buildApp(config);
  try {
    const stamp = String(Date.now()).slice(-5);
    const people: Person[] = [];
    for (let i = 0; i < n; i += 50) {
      const batch = Array.from({ length: Math.min(50, n - i) }, async (_, j) => {
        const k = i + j;
        const account = await app.services.users.createAccount({
          phone: `+861${String(6_000_000_000 + Number(stamp) * 10_000 + k).slice(-10)}`,
          passwordHash: 'x',
          nickname: `通话${k}`,
          role: 'user',
        });
        const session = await app.services.auth.loginVouched(account.id, {
          deviceId: `calls-device-${k}`,
          name: 'bench',
          platform: 'server',
        });
        return { userId: account.id, sessionId: session.sessionId, accessToken: session.tokens.accessToken };
      });
      people.push(...(await Promise.all(batch)));
    }
    const pairs = [];
    for (let i = 0; i + 1 < people.length; i += 2) {
      const a = people[i] as Person;
      const b = people[i + 1] as Person;
      const chat = await app.ops.invoke(
        'conversations.openDirect',
        { userId: b.userId },
        { principal: { userId: a.userId, sessionId: a.sessionId, role: 'user' }, ip: '127.0.0.1' },
      );
      pairs.push({ a, b, chat: chat.id });
    }
    return pairs;
  } finally {
    await app.close();
  }
}

interface Frame {
  type: string;
  id?: string;
  ok?: boolean;
  event?: string;
  body?: unknown;
  error?: { code: string };
}

/** One device on the real WS protocol: requests by id, events to a listener. */
class Device {
  private ws!: WebSocket;
  private nextId = 0;
  private readonly waiting = new Map<string, (f: Frame) => void>();
  onEvent: (event: string, body: unknown) => void = () => undefined;

  constructor(
    private readonly person: Person,
    private readonly url: string,
  ) {}

  connect(): Promise<void> {
    this.ws = new WebSocket(this.url, { perMessageDeflate: false });
    return new Promise((resolve, reject) => {
      this.ws.once('error', reject);
      this.ws.once('open', () =>
        this.ws.send(
          JSON.stringify({ type: 'auth', v: PROTOCOL_VERSION, accessToken: this.person.accessToken }),
        ),
      );
      this.ws.on('message', (data) => {
        const f = JSON.parse(String(data)) as Frame;
        if (f.type === 'hello') resolve();
        else if (f.type === 'res' && f.id) this.waiting.get(f.id)?.(f);
        else if (f.type === 'event' && f.event) this.onEvent(f.event, f.body);
      });
    });
  }

  request(op: string, body: unknown): Promise<Frame> {
    const id = String(++this.nextId);
    return new Promise((resolve) => {
      this.waiting.set(id, (f) => {
        this.waiting.delete(id);
        resolve(f);
      });
      this.ws.send(JSON.stringify({ type: 'req', id, op, body }));
    });
  }

  close(): void {
    this.ws.close();
  }
}

interface Tally {
  started: number;
  answered: number;
  completed: number;
  errors: number;
  /** calls.start sent → the caller sees `accepted` (the callee answered as soon as it rang). */
  setup: number[];
  /** calls.signal sent → the peer device receives it. */
  signal: number[];
  /** calls.hangup sent → its response (the call record is committed by then). */
  hangup: number[];
  active: number;
  peakActive: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One pair's call: ring, answer, offer/answer/candidate, hold (a candidate every 2 s), hang up. */
class PairCall {
  private readonly waiters = new Map<string, (body: unknown) => void>();
  private callId = '';

  constructor(
    private readonly caller: Device,
    private readonly callee: Device,
    private readonly chat: string,
    private readonly media: 'audio' | 'video',
    private readonly t: Tally,
  ) {
    callee.onEvent = (event, body) => {
      if (event === 'call.invite.v1') this.fire('invite', body);
      if (event === 'call.signal.v1') this.fire('signal', body);
    };
    caller.onEvent = (event, body) => {
      if (event === 'call.state.v1' && (body as { reason: string }).reason === 'accepted')
        this.fire('accepted', body);
      if (event === 'call.signal.v1') this.fire('signal', body);
    };
  }

  private wait(key: string): Promise<unknown> {
    return new Promise((resolve) => this.waiters.set(key, resolve));
  }

  private fire(key: string, body: unknown): void {
    this.waiters.get(key)?.(body);
    this.waiters.delete(key);
  }

  private async signal(from: Device, payload: unknown): Promise<void> {
    const s0 = performance.now();
    const got = this.wait('signal');
    const sent = await from.request('calls.signal', { callId: this.callId, payload });
    if (!sent.ok) {
      this.t.errors++;
      return;
    }
    await got;
    this.t.signal.push(performance.now() - s0);
  }

  /** Ring until answered and connected; false on an error. */
  async connect(): Promise<boolean> {
    const t0 = performance.now();
    const invited = this.wait('invite');
    const accepted = this.wait('accepted');
    const started = await this.caller.request('calls.start', {
      conversationId: this.chat,
      media: this.media,
    });
    if (!started.ok) {
      this.t.errors++;
      return false;
    }
    this.t.started++;
    this.callId = (started.body as { call: { id: string } }).call.id;
    await invited;
    const answer = await this.callee.request('calls.accept', { callId: this.callId });
    if (!answer.ok) {
      this.t.errors++;
      return false;
    }
    await accepted;
    this.t.setup.push(performance.now() - t0);
    this.t.answered++;
    this.t.peakActive = Math.max(this.t.peakActive, ++this.t.active);
    const id = this.callId;
    await this.signal(this.caller, { type: 'offer', sdp: `v=0\r\no=- ${id} 1 IN IP4 127.0.0.1\r\n` });
    await this.signal(this.callee, { type: 'answer', sdp: `v=0\r\no=- ${id} 2 IN IP4 127.0.0.1\r\n` });
    return true;
  }

  /** While the call lasts: an ICE candidate every ~2 s, alternately from each side. */
  async hold(until: number): Promise<void> {
    let turn = 0;
    await sleep(Math.random() * 2000);
    while (performance.now() < until) {
      await this.signal(turn++ % 2 ? this.callee : this.caller, {
        type: 'candidate',
        candidate: 'candidate:1 1 udp 2122260223 127.0.0.2 50000 typ host',
        sdpMid: '0',
      });
      await sleep(2000);
    }
  }

  async hangup(): Promise<void> {
    const h0 = performance.now();
    const res = await (Math.random() < 0.5 ? this.caller : this.callee).request('calls.hangup', {
      callId: this.callId,
    });
    this.t.hangup.push(performance.now() - h0);
    this.t.active--;
    if (res.ok) this.t.completed++;
    else this.t.errors++;
  }
}

/** Run `fn` for every item, starting `rate` per second. */
async function paced<T>(items: readonly T[], rate: number, fn: (item: T) => Promise<void>): Promise<void> {
  const t0 = performance.now();
  await Promise.all(
    items.map(async (item, i) => {
      await sleep(Math.max(0, t0 + (i / rate) * 1000 - performance.now()));
      await fn(item);
    }),
  );
}

async function runTarget(name: 'sqlite' | 'pg', args: BenchArgs) {
  const people = args.n % 2 === 0 ? args.n : args.n + 1;
  const rate = Number(args.flags.rate ?? 25);
  const target = await prepareTarget(name);
  console.error(`[calls/${name}] seeding ${people} users in ${people / 2} pairs…`);
  const pairs = await seedPairs(target, people);
  const port = await freePort();
  const server = await startServer({ ...benchEnv(target, port, 1), ZX_MEDIA_EMBEDDED_JANUS: 'off' }, port);
  const devices: Device[] = [];
  try {
    const url = `ws://127.0.0.1:${port}/ws`;
    const ends = pairs.map((p) => ({
      caller: new Device(p.a, url),
      callee: new Device(p.b, url),
      chat: p.chat,
    }));
    for (const e of ends) devices.push(e.caller, e.callee);
    for (let i = 0; i < devices.length; i += 100)
      await Promise.all(devices.slice(i, i + 100).map((d) => d.connect()));
    console.error(`[calls/${name}] ${devices.length} people online in ${ends.length} pairs`);
    const tally: Tally = {
      started: 0,
      answered: 0,
      completed: 0,
      errors: 0,
      setup: [],
      signal: [],
      hangup: [],
      active: 0,
      peakActive: 0,
    };
    const calls = ends.map(
      (e, i) => new PairCall(e.caller, e.callee, e.chat, i % 2 ? 'video' : 'audio', tally),
    );
    console.error(`[calls/${name}] ringing ${calls.length} calls at ${rate}/s…`);
    const up: PairCall[] = [];
    await paced(calls, rate, async (c) => {
      if (await c.connect()) up.push(c);
    });
    const setup = [...tally.setup];
    tally.signal = [];
    console.error(`[calls/${name}] ${tally.active} calls up; holding them for ${args.duration} s…`);
    const h0 = performance.now();
    await Promise.all(up.map((c) => c.hold(h0 + args.duration * 1000)));
    const held = tally.active;
    const holdSignal = [...tally.signal];
    await paced(up, rate, (c) => c.hangup());
    return {
      target: name === 'pg' ? 'postgresql+nats' : 'sqlite',
      people: devices.length,
      pairs: ends.length,
      ratePerSecond: rate,
      holdSeconds: args.duration,
      callsStarted: tally.started,
      callsAnswered: tally.answered,
      concurrentCallsHeld: held,
      callsCompleted: tally.completed,
      errors: tally.errors,
      setupP50Ms: Number(percentile(setup, 50).toFixed(1)),
      setupP99Ms: Number(percentile(setup, 99).toFixed(1)),
      signalP50Ms: Number(percentile(holdSignal, 50).toFixed(1)),
      signalP99Ms: Number(percentile(holdSignal, 99).toFixed(1)),
      hangupP50Ms: Number(percentile(tally.hangup, 50).toFixed(1)),
      hangupP99Ms: Number(percentile(tally.hangup, 99).toFixed(1)),
      peakConcurrentCalls: tally.peakActive,
    };
  } finally {
    for (const d of devices) d.close();
    await stopServer(server);
  }
}

/**
 * `npm run bench -- calls [--n 1600] [--rate 25] [--duration 30] [--target sqlite|pg|both]`: `n`
 * people online in pairs, over the real WS protocol. Every pair's call rings (`rate` new calls per
 * second), is answered, exchanges offer/answer; all calls are then held together for `duration`
 * seconds (an ICE candidate relayed every 2 s per call), and hung up at `rate` per second (each
 * posting its call record). Half voice, half video. Against the spec's 800 voice calls / 1,600
 * people (R-X3) and 500 video calls / 1,000 people (R-X4).
 */
export async function runCallsBench(args: BenchArgs) {
  const which = String(args.flags.target ?? 'sqlite');
  const runs = [];
  for (const name of which === 'both'
    ? (['sqlite', 'pg'] as const)
    : ([which === 'pg' ? 'pg' : 'sqlite'] as const)) {
    const result = await runTarget(name, { ...args, n: args.flags.n === undefined ? 1600 : args.n });
    console.error(
      `[calls/${name}] ${result.concurrentCallsHeld} of ${result.pairs} calls held together; ` +
        `setup p50 ${result.setupP50Ms} ms p99 ${result.setupP99Ms} ms at ${result.ratePerSecond}/s, ` +
        `signal p50 ${result.signalP50Ms} ms p99 ${result.signalP99Ms} ms, ` +
        `hang-up p50 ${result.hangupP50Ms} ms p99 ${result.hangupP99Ms} ms, ${result.errors} errors`,
    );
    runs.push(result);
  }
  return { scenario: 'calls', runs };
}
