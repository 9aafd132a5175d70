import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  API_PREFIX,
  CloseCode,
  Operations,
  PROTOCOL_VERSION,
  pathParams,
  statusOf,
  type CloseReason,
  type EventBody,
  type EventName,
  type OpName,
} from '@zhixin/protocol';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Message } from '../managers/messages-manager.ts';
import { buildConversation, buildMessage, type Conversation } from './fixtures.ts';

/** A failure the fake server answers with `{error:{code,message}}`. */
export class FakeError extends Error {
  constructor(
    readonly code: string,
    readonly details?: unknown,
  ) {
    super(code);
  }
}

type Handler = (body: Record<string, unknown>) => unknown;

interface Route {
  name: OpName;
  method: string;
  pattern: RegExp;
  params: string[];
}

const ROUTES: Route[] = (Object.keys(Operations) as OpName[]).map((name) => {
  const def = Operations[name];
  const source = def.path.replace(/\{([A-Za-z][A-Za-z0-9]*)\}/g, '([^/]+)');
  return {
    name,
    method: def.method,
    pattern: new RegExp(`^${API_PREFIX}${source}$`),
    params: pathParams(def.path),
  };
});

/** A REST call or WS request the fake server saw. */
export interface SeenRequest {
  via: 'rest' | 'ws';
  op: string;
  body: Record<string, unknown>;
  authorization?: string;
}

/**
 * A small stand-in for the Zhixin server, speaking the real protocol over node:http and `ws`:
 * tokens, conversations and messages in memory, with knobs to drop sockets, stay silent, or refuse.
 * Only for SDK tests: the end-to-end suite runs against the real server.
 */
export class FakeServer {
  readonly http: Server;
  readonly wss: WebSocketServer;
  readonly seen: SeenRequest[] = [];
  readonly sockets = new Set<WebSocket>();
  /** Access token → session id. */
  readonly accessTokens = new Map<string, string>();
  readonly expiredTokens = new Set<string>();
  readonly revokedSessions = new Set<string>();
  /** Refresh token → session id. */
  readonly refreshTokens = new Map<string, string>();
  readonly conversations = new Map<string, { conv: Conversation; messages: Message[] }>();
  /** Overrides per operation (throw FakeError to fail). */
  readonly handlers = new Map<string, Handler>();
  /** Operations answered never (to test timeouts). */
  readonly silentOps = new Set<string>();
  heartbeatMs = 30_000;
  /** `auth` frames received. */
  authAttempts = 0;
  /** Pings received. */
  pings = 0;
  answerPings = true;
  /** Offer server-driven heartbeats to a client that asks (`auth.heartbeat: 'server'`). */
  drivesHeartbeat = false;
  /** While driving: send a ping every heartbeatMs (false: fall silent). */
  sendPings = true;
  /** `heartbeat` of every auth frame, in order. */
  readonly askedHeartbeat: Array<string | undefined> = [];
  /** Pongs received (answers to our pings). */
  pongs = 0;
  userId = 'u_me';
  private tick = 1;
  private tokenCounter = 0;

  constructor() {
    this.http = createServer((req, res) => void this.onHttp(req, res));
    this.wss = new WebSocketServer({ server: this.http, path: '/ws' });
    this.wss.on('connection', (socket) => this.onSocket(socket));
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.http.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.http.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }

  /** A fresh session: returns what `auth.login*` returns. */
  issueSession(sessionId = `s${++this.tokenCounter}`): {
    userId: string;
    sessionId: string;
    tokens: { accessToken: string; accessExpiresAt: number; refreshToken: string; refreshExpiresAt: number };
  } {
    const n = ++this.tokenCounter;
    const accessToken = `access-${n}-${sessionId}`;
    const refreshToken = `refresh-token-${n}-${sessionId}`;
    this.accessTokens.set(accessToken, sessionId);
    this.refreshTokens.set(refreshToken, sessionId);
    const now = Date.now();
    return {
      userId: this.userId,
      sessionId,
      tokens: {
        accessToken,
        accessExpiresAt: now + 900_000,
        refreshToken,
        refreshExpiresAt: now + 30 * 86_400_000,
      },
    };
  }

  addConversation(id: string): Conversation {
    const conv = buildConversation({ id, updatedAt: this.tick++ });
    this.conversations.set(id, { conv, messages: [] });
    return conv;
  }

  /** Store a message (next seq); push it live unless `push` is false. */
  addMessage(
    conversationId: string,
    opts: { push?: boolean; text?: string; senderId?: string; clientId?: string } = {},
  ): Message {
    const entry = this.conversations.get(conversationId) ?? {
      conv: this.addConversation(conversationId),
      messages: [],
    };
    this.conversations.set(conversationId, entry);
    const seq = entry.messages.length + 1;
    const message = buildMessage({
      conversationId,
      seq,
      senderId: opts.senderId ?? 'u_other',
      content: { kind: 'text', text: opts.text ?? `message ${seq}` },
      createdAt: Date.now(),
      updatedAt: Date.now(),
      ...(opts.clientId ? { clientId: opts.clientId } : {}),
    });
    entry.messages.push(message);
    entry.conv.lastSeq = seq;
    entry.conv.lastMessage = message;
    entry.conv.updatedAt = this.tick++;
    if (opts.push !== false) this.push('message.created.v1', message);
    return message;
  }

  /** Edit a stored message (new version); push it unless `push` is false. */
  editMessage(conversationId: string, seq: number, text: string, opts: { push?: boolean } = {}): Message {
    const entry = this.conversations.get(conversationId);
    const old = entry?.messages[seq - 1];
    if (!entry || !old) throw new Error(`no message ${conversationId}#${seq}`);
    const now = Date.now();
    const message: Message = {
      ...old,
      content: { kind: 'text', text },
      editedAt: now,
      updatedAt: now,
      version: old.version + 1,
    };
    // Like the real server, an edit does not bump the conversation (conversations.list misses it).
    entry.messages[seq - 1] = message;
    if (opts.push !== false) this.push('message.updated.v1', message);
    return message;
  }

  push<E extends EventName>(event: E, body: EventBody<E>): void {
    for (const s of this.sockets)
      if (s.readyState === s.OPEN) s.send(JSON.stringify({ type: 'event', event, body }));
  }

  /** Kill every connection without a close handshake (as a crashed node or a lost network would). */
  dropAll(): void {
    for (const s of this.sockets) s.terminate();
  }

  /** Say bye with a reason and close with its code. */
  byeAll(reason: CloseReason): void {
    for (const s of this.sockets) {
      s.send(JSON.stringify({ type: 'bye', reason }));
      s.close(CloseCode[reason], reason);
    }
  }

  count(op: string, via?: 'rest' | 'ws'): number {
    return this.seen.filter((r) => r.op === op && (!via || r.via === via)).length;
  }

  // ---- the protocol ----

  private authorize(op: OpName, token: string | undefined): void {
    if (Operations[op].access === 'public') return;
    if (!token) throw new FakeError('UNAUTHENTICATED');
    if (this.expiredTokens.has(token)) throw new FakeError('TOKEN_EXPIRED');
    const session = this.accessTokens.get(token);
    if (!session) throw new FakeError('TOKEN_INVALID');
    if (this.revokedSessions.has(session)) throw new FakeError('SESSION_REVOKED');
  }

  /** The default answer to an operation (custom `handlers` may fall back to it). */
  dispatch(op: OpName, body: Record<string, unknown>): unknown {
    const custom = this.handlers.get(op);
    if (custom) return custom(body);
    switch (op) {
      case 'auth.refresh': {
        const session = this.refreshTokens.get(String(body.refreshToken));
        if (!session || this.revokedSessions.has(session)) throw new FakeError('TOKEN_INVALID');
        this.refreshTokens.delete(String(body.refreshToken));
        return this.issueSession(session);
      }
      case 'conversations.list': {
        const since = body.since === undefined ? 0 : Number(body.since);
        const all = [...this.conversations.values()].map((e) => e.conv);
        return {
          conversations: all.filter((c) => c.updatedAt > since),
          cursor: Math.max(0, ...all.map((c) => c.updatedAt)),
        };
      }
      case 'messages.history': {
        const messages = this.conversations.get(String(body.conversationId))?.messages ?? [];
        const limit = Number(body.limit ?? 50);
        const after = body.afterSeq === undefined ? undefined : Number(body.afterSeq);
        const page =
          after === undefined ? messages.slice(-limit).reverse() : messages.filter((m) => m.seq > after);
        return { messages: page.slice(0, limit), hasMore: page.length > limit };
      }
      case 'messages.changes': {
        const since = Number(body.since);
        const messages = this.conversations.get(String(body.conversationId))?.messages ?? [];
        return {
          messages: messages
            .filter((m) => m.version > 1 && m.updatedAt > since)
            .sort((x, y) => x.updatedAt - y.updatedAt || x.seq - y.seq),
          hasMore: false,
        };
      }
      case 'messages.send': {
        const id = String(body.conversationId);
        const existing = this.conversations.get(id)?.messages.find((m) => m.clientId === body.clientId);
        return (
          existing ??
          this.addMessage(id, {
            push: false,
            senderId: this.userId,
            clientId: String(body.clientId),
            text: (body.content as { text: string }).text,
          })
        );
      }
      case 'auth.loginPassword':
      case 'auth.loginSms':
      case 'auth.register':
        return this.issueSession();
      case 'users.me':
        return {
          id: this.userId,
          phone: '13800138000',
          nickname: 'me',
          avatarFileId: null,
          signature: '',
          role: 'user',
          createdAt: 1,
        };
      case 'auth.logout':
        return { ok: true };
      default:
        throw new FakeError('UNKNOWN_OP', { op });
    }
  }

  private async onHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    let chunks = '';
    for await (const chunk of req) chunks += String(chunk);
    const route = ROUTES.find((r) => r.method === req.method && r.pattern.test(url.pathname));
    const reply = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    if (!route) return reply(404, { error: { code: 'ROUTE_NOT_FOUND', message: 'No such route' } });
    const match = route.pattern.exec(url.pathname) as RegExpExecArray;
    const body: Record<string, unknown> = chunks ? (JSON.parse(chunks) as Record<string, unknown>) : {};
    for (const [k, v] of url.searchParams) body[k] = v;
    route.params.forEach((p, i) => (body[p] = decodeURIComponent(match[i + 1] as string)));
    const authorization = req.headers.authorization;
    this.seen.push({ via: 'rest', op: route.name, body, authorization });
    if (this.silentOps.has(route.name)) return;
    try {
      this.authorize(route.name, authorization?.replace(/^Bearer /, ''));
      reply(200, await this.dispatch(route.name, body));
    } catch (err) {
      const e = err instanceof FakeError ? err : new FakeError('INTERNAL');
      reply(statusOf(e.code), { error: { code: e.code, message: e.code, details: e.details } });
    }
  }

  private onSocket(socket: WebSocket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    let token: string | undefined;
    socket.on('message', (data) => {
      const frame = JSON.parse(String(data)) as {
        type: string;
        id?: string;
        op?: string;
        body?: Record<string, unknown>;
        accessToken?: string;
        heartbeat?: string;
        t?: number;
      };
      if (frame.type === 'auth') {
        this.askedHeartbeat.push(frame.heartbeat);
        const drive = this.drivesHeartbeat && frame.heartbeat === 'server';
        return this.onAuth(socket, String(frame.accessToken), drive, (t) => (token = t));
      }
      if (!token) return;
      if (frame.type === 'pong') {
        this.pongs++;
        return;
      }
      if (frame.type === 'ping') {
        this.pings++;
        if (this.answerPings) socket.send(JSON.stringify({ type: 'pong', t: frame.t }));
        return;
      }
      if (frame.type !== 'req') return;
      const op = String(frame.op) as OpName;
      this.seen.push({ via: 'ws', op, body: frame.body ?? {} });
      if (this.silentOps.has(op)) return;
      const answer = async (): Promise<unknown> => {
        this.authorize(op, token);
        return this.dispatch(op, frame.body ?? {});
      };
      answer().then(
        (body) => socket.send(JSON.stringify({ type: 'res', id: frame.id, ok: true, body })),
        (err: unknown) => {
          const e = err instanceof FakeError ? err : new FakeError('INTERNAL');
          socket.send(
            JSON.stringify({
              type: 'res',
              id: frame.id,
              ok: false,
              error: { code: e.code, message: e.code },
            }),
          );
        },
      );
    });
  }

  private onAuth(socket: WebSocket, accessToken: string, drive: boolean, accept: (t: string) => void): void {
    this.authAttempts++;
    const refuse = (code: string, reason: CloseReason): void => {
      socket.send(JSON.stringify({ type: 'error', error: { code, message: code } }));
      socket.send(JSON.stringify({ type: 'bye', reason }));
      socket.close(CloseCode[reason], reason);
    };
    const session = this.accessTokens.get(accessToken);
    if (session && this.revokedSessions.has(session)) return refuse('SESSION_REVOKED', 'session_revoked');
    if (this.expiredTokens.has(accessToken)) return refuse('TOKEN_EXPIRED', 'unauthenticated');
    if (!session) return refuse('TOKEN_INVALID', 'unauthenticated');
    accept(accessToken);
    socket.send(
      JSON.stringify({
        type: 'hello',
        v: PROTOCOL_VERSION,
        userId: this.userId,
        sessionId: session,
        nodeId: 'fake',
        heartbeatMs: this.heartbeatMs,
        ...(drive ? { heartbeat: 'server' } : {}),
        serverTime: Date.now(),
      }),
    );
    if (!drive) return;
    const timer = setInterval(() => {
      if (this.sendPings && socket.readyState === socket.OPEN) socket.send('{"type":"ping"}');
    }, this.heartbeatMs);
    socket.on('close', () => clearInterval(timer));
  }
}
