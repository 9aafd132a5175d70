import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PROTOCOL_VERSION } from '@zhixin/protocol';
import WebSocket from 'ws';
import { loadConfig, type Config, type DeepPartial } from '../config.ts';
import { AppError } from '../errors.ts';
import { OperationRegistry } from '../http/operations.ts';
import type { Authenticator, Principal } from '../http/principal.ts';
import { MemoryBroker, type Broker, type Subscription } from '../platform/broker/index.ts';
import { newId } from '../platform/ids.ts';
import { createLogger } from '../platform/logger.ts';
import { Metrics } from '../platform/metrics.ts';
import { createGateway, type Gateway, type GatewayOptions, type GatewayPlatform } from './index.ts';

/** Tokens of the fake authenticator: `ok:<userId>:<sessionId>`; `expired`, `revoked`, `slow:...`, `crash`. */
export function tokenFor(userId: string, sessionId = `s${userId}`): string {
  return `ok:${userId}:${sessionId}`;
}

/** Stands in for the auth module: the gateway only needs verifyAccessToken. */
export const fakeAuthenticator: Authenticator = {
  async verifyAccessToken(token: string): Promise<Principal> {
    if (token === 'expired') throw new AppError('TOKEN_EXPIRED');
    if (token === 'revoked') throw new AppError('SESSION_REVOKED');
    if (token === 'crash') throw new Error('database exploded');
    let t = token;
    if (t.startsWith('slow:')) {
      await new Promise((r) => setTimeout(r, 100));
      t = t.slice(5);
    }
    const [kind, userId, sessionId] = t.split(':');
    if (kind !== 'ok' || !userId || !sessionId) throw new AppError('TOKEN_INVALID');
    return { userId, sessionId, role: 'user' };
  },
};

/** A registry with a few test handlers standing in for the real modules. */
export function testRegistry(): OperationRegistry {
  const ops = new OperationRegistry(() => fakeAuthenticator);
  ops.register('users.me', async (_req, ctx) => ({ id: ctx.principal?.userId, ip: ctx.ip }) as never);
  ops.register('conversations.get', async (req) => {
    if (req.conversationId === 'missing') throw AppError.notFound('conversation');
    if (req.conversationId === 'boom') throw new Error('secret internal detail');
    if (req.conversationId.startsWith('slow'))
      await new Promise((r) => setTimeout(r, Number(req.conversationId.slice(4)) || 50));
    return { id: req.conversationId } as never;
  });
  // Stands in for a send whose commit time varies: `slow<ms>` conversations take that long.
  ops.register('messages.send', async (req) => {
    if (req.conversationId.startsWith('slow'))
      await new Promise((r) => setTimeout(r, Number(req.conversationId.slice(4)) || 50));
    return { clientId: req.clientId, committedAt: Date.now() } as never;
  });
  // Registered but REST-only: the gateway must refuse it.
  ops.register('auth.sendSmsCode', async () => ({ retryAfterSeconds: 60 }) as never);
  return ops;
}

export function testGatewayConfig(overrides: DeepPartial<Config> = {}): Config {
  return loadConfig({ env: {}, file: '', overrides: { logLevel: 'silent', ...overrides } });
}

export interface TestNode {
  gateway: Gateway;
  platform: GatewayPlatform;
  ops: OperationRegistry;
  server: Server;
  url: string;
  close(): Promise<void>;
}

export interface TestNodeOptions {
  broker?: Broker;
  config?: DeepPartial<Config>;
  gateway?: GatewayOptions;
  nodeId?: string;
}

/** A gateway on a real HTTP listener (127.0.0.1, random port) with the fake authenticator. */
export async function startTestNode(opts: TestNodeOptions = {}): Promise<TestNode> {
  const config = testGatewayConfig(opts.config);
  const platform: GatewayPlatform = {
    config,
    log: createLogger('silent'),
    broker: opts.broker ?? new MemoryBroker(),
    metrics: new Metrics(),
    nodeId: opts.nodeId ?? `n${newId().slice(-8).toLowerCase()}`,
  };
  const ops = testRegistry();
  const gateway = createGateway(
    { platform, ops, authenticator: () => fakeAuthenticator },
    { closeGraceMs: 500, shutdownGraceMs: 1000, ...opts.gateway },
  );
  const server = createServer((_req, res) => res.writeHead(404).end());
  gateway.attach(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    gateway,
    platform,
    ops,
    server,
    url: `ws://127.0.0.1:${port}/ws`,
    async close() {
      await gateway.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** A frame the server sent, loosely typed for assertions. */
export type Frame = Record<string, unknown> & { type: string };

/** A `ws` client that records every frame, for tests. */
export class TestClient {
  readonly frames: Frame[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  private waiters: Array<() => void> = [];
  private nextId = 1;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      this.frames.push(JSON.parse(String(data)) as Frame);
      for (const w of this.waiters.splice(0)) w();
    });
    this.closed = new Promise((resolve) =>
      ws.on('close', (code, reason) => resolve({ code, reason: String(reason) })),
    );
    void this.closed.then(() => {
      for (const w of this.waiters.splice(0)) w();
    });
  }

  static async connect(url: string, opts: WebSocket.ClientOptions = {}): Promise<TestClient> {
    const ws = new WebSocket(url, opts);
    const client = new TestClient(ws);
    await once(ws, 'open');
    return client;
  }

  /** Connect and authenticate; resolves with the hello frame. */
  static async login(url: string, userId: string, sessionId?: string): Promise<TestClient> {
    const c = await TestClient.connect(url);
    c.send({ type: 'auth', v: PROTOCOL_VERSION, accessToken: tokenFor(userId, sessionId) });
    await c.next((f) => f.type === 'hello');
    return c;
  }

  send(frame: unknown): void {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** The first frame (already received or coming) that matches, after `from`. */
  async next(match: (f: Frame) => boolean = () => true, timeoutMs = 3000, from = 0): Promise<Frame> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const found = this.frames.slice(from).find(match);
      if (found) return found;
      if (Date.now() > until || this.ws.readyState === WebSocket.CLOSED) {
        throw new Error(`no matching frame; got ${JSON.stringify(this.frames).slice(0, 500)}`);
      }
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.max(1, until - Date.now()));
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** Send a request and wait for its response. */
  async request(op: string, body: unknown, timeoutMs = 3000): Promise<Frame> {
    const id = `r${this.nextId++}`;
    this.send({ type: 'req', id, op, body });
    return this.next((f) => f.type === 'res' && f.id === id, timeoutMs);
  }

  events(name?: string): Frame[] {
    return this.frames.filter((f) => f.type === 'event' && (name === undefined || f.event === name));
  }

  close(): void {
    this.ws.close();
  }
}

/**
 * A broker wrapper that counts publishes per subject, can be cut off (a node dying silently) and
 * can hold back its publishes on subjects of a prefix (a message still on its way).
 */
export class TapBroker implements Broker {
  readonly kind: Broker['kind'];
  /** The link to the broker is down, as far as this node can tell (see Broker.connected). */
  linkDown = false;
  readonly published: string[] = [];
  /** The `t` of each published payload that has one (node messages: 'deliver', 'snapshot', ...). */
  private readonly kinds: Array<string | undefined> = [];
  cut = false;
  /** Publishes held back by hold(), in order. */
  readonly held: Array<{ subject: string; payload: unknown }> = [];
  private holding: string | undefined;

  constructor(private readonly inner: Broker) {
    this.kind = inner.kind;
  }

  get connected(): boolean {
    return !this.linkDown && this.inner.connected;
  }

  publish(subject: string, payload: unknown): void {
    if (this.cut) return;
    this.published.push(subject);
    const t = typeof payload === 'object' && payload !== null && 't' in payload ? payload.t : undefined;
    this.kinds.push(typeof t === 'string' ? t : undefined);
    if (this.holding !== undefined && subject.startsWith(this.holding)) this.held.push({ subject, payload });
    else this.inner.publish(subject, payload);
  }

  /** Keep this node's publishes on subjects starting with `prefix` until release(). */
  hold(prefix: string): void {
    this.holding = prefix;
  }

  /** Send what was held, in order, and stop holding. */
  release(): void {
    this.holding = undefined;
    for (const { subject, payload } of this.held.splice(0)) this.inner.publish(subject, payload);
  }

  subscribe(subject: string, handler: (payload: unknown, subject: string) => void): Subscription {
    return this.inner.subscribe(subject, (payload, s) => {
      if (!this.cut) handler(payload, s);
    });
  }

  flush(): Promise<void> {
    return this.inner.flush();
  }

  onReconnect(listener: () => void): void {
    this.inner.onReconnect(listener);
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  /** Publishes on subjects starting with `prefix` (of node messages of kind `t` only, if given). */
  count(prefix: string, t?: string): number {
    return this.published.filter((s, i) => s.startsWith(prefix) && (t === undefined || this.kinds[i] === t))
      .length;
  }
}

/** A fresh id for test users, so suites sharing a NATS server never see each other's users. */
export function uid(prefix = 'u'): string {
  return `${prefix}${newId().slice(-12)}`;
}
