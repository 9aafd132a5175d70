import { Operations, type OpName, type OpRequest, type OpResponse } from '@zhixin/protocol';
import { TypedEmitter, type Listener, type Unsubscribe } from '../emitter.ts';
import { SdkErrorCode, ZhixinError } from '../errors.ts';
import { systemTimers, type Timers } from '../platform/timers.ts';
import type { Session, TokenStore } from '../storage/token-store.ts';
import { globalFetch, parseRetryAfter, type FetchLike } from './fetch.ts';
import { buildHttpRequest } from './request.ts';

export interface RestClientOptions {
  baseUrl: string;
  tokens: TokenStore;
  fetch?: FetchLike;
  timers?: Timers;
  /** Per request; default 20 s. */
  timeoutMs?: number;
  /** Serialises token refreshes between clients sharing storage (default: Web Locks when present). */
  lock?: LockFn;
}

/** Runs `fn` while holding the named lock (exclusive between every client given the same lock). */
export type LockFn = <T>(name: string, fn: () => Promise<T>) => Promise<T>;

interface LockManagerLike {
  request<T>(name: string, callback: () => Promise<T>): Promise<T>;
}

/**
 * Tabs of one browser share localStorage and so one refresh token; if two refreshed it at once, the
 * server would see the second use of a rotated token as theft and revoke the session. The Web Locks
 * API makes them take turns; without it (Node) each client is on its own.
 */
export function defaultLock(): LockFn {
  const locks = (globalThis as { navigator?: { locks?: LockManagerLike } }).navigator?.locks;
  if (!locks) return (_name, fn) => fn();
  return (name, fn) => locks.request(name, fn);
}

const REFRESH_LOCK = 'zhixin.session.refresh';

export interface RestClientEvents {
  /** The session cannot be used any more (revoked, or the refresh token was refused); it was cleared. */
  'auth.lost': ZhixinError;
  /** A refresh stored a new token pair. */
  'session.refreshed': Session;
}

export interface CallOptions {
  timeoutMs?: number;
}

/** Codes answered by refreshing the access token and trying again once. */
const REFRESHABLE = new Set(['TOKEN_EXPIRED', 'TOKEN_INVALID']);

/**
 * Typed REST calls: any operation of the protocol's `Operations` table by name. Adds the bearer token,
 * refreshes it once on `TOKEN_EXPIRED` (concurrent calls share one refresh), and reports a lost
 * session as `'auth.lost'`.
 *
 * @example
 * const rest = new RestClient({ baseUrl: 'https://im.example', tokens: new TokenStore(new MemoryStorage()) });
 * const { conversations } = await rest.call('conversations.list', {});
 */
export class RestClient {
  private readonly emitter = new TypedEmitter<RestClientEvents>();
  private readonly fetchFn: FetchLike;
  private readonly timers: Timers;
  private readonly timeoutMs: number;
  private refreshing: Promise<Session> | undefined;
  private readonly lock: LockFn;

  constructor(private readonly opts: RestClientOptions) {
    this.lock = opts.lock ?? defaultLock();
    const custom = opts.fetch;
    this.fetchFn = custom ? (url, init) => custom(url, init) : globalFetch();
    this.timers = opts.timers ?? systemTimers;
    this.timeoutMs = opts.timeoutMs ?? 20_000;
  }

  /** Listen to `'auth.lost'` or `'session.refreshed'`. @example rest.on('auth.lost', () => showLogin()); */
  on<K extends keyof RestClientEvents>(event: K, listener: Listener<RestClientEvents[K]>): Unsubscribe {
    return this.emitter.on(event, listener);
  }

  /**
   * Call an operation over REST. Throws {@link ZhixinError} on every failure.
   *
   * @example
   * const page = await rest.call('messages.history', { conversationId, afterSeq: 10, limit: 50 });
   */
  async call<N extends OpName>(
    name: N,
    request: OpRequest<N>,
    options: CallOptions = {},
  ): Promise<OpResponse<N>> {
    if (Operations[name].access === 'public') return this.send(name, request, undefined, options);
    const session = await this.opts.tokens.load();
    if (!session) throw new ZhixinError('UNAUTHENTICATED', 'not logged in', { status: 0 });
    const token = session.tokens.accessToken;
    try {
      return await this.send(name, request, token, options);
    } catch (err) {
      if (!(err instanceof ZhixinError)) throw err;
      if (REFRESHABLE.has(err.code)) {
        const fresh = await this.refreshSession(token);
        return this.sendOrLose(name, request, fresh.tokens.accessToken, options);
      }
      if (err.code === 'SESSION_REVOKED') await this.loseAuth(err);
      throw err;
    }
  }

  /**
   * Get a new token pair with the refresh token. Single flight: callers that arrive while a refresh
   * runs share it, and a caller holding an access token that has already been replaced gets the
   * current session without another refresh. A refused refresh clears the session and emits
   * `'auth.lost'`; a network failure leaves the session alone.
   *
   * @param staleAccessToken the token that failed; omit to force a refresh.
   * @example
   * const session = await rest.refreshSession();
   */
  async refreshSession(staleAccessToken?: string): Promise<Session> {
    const current = await this.opts.tokens.load();
    if (!current) throw new ZhixinError('UNAUTHENTICATED', 'not logged in', { status: 0 });
    if (this.refreshing) return this.refreshing;
    if (staleAccessToken !== undefined && current.tokens.accessToken !== staleAccessToken) return current;
    this.refreshing = this.doRefresh(current).finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  private doRefresh(current: Session): Promise<Session> {
    return this.lock(REFRESH_LOCK, async () => {
      // Another client sharing the storage may have refreshed (or logged out) while we waited.
      const stored = await this.opts.tokens.reload();
      if (!stored || stored.sessionId !== current.sessionId) {
        const lost = new ZhixinError('UNAUTHENTICATED', 'the session ended elsewhere', { status: 0 });
        if (!stored) this.emitter.emit('auth.lost', lost);
        throw lost;
      }
      if (stored.tokens.refreshToken !== current.tokens.refreshToken) {
        this.emitter.emit('session.refreshed', stored);
        return stored;
      }
      return this.refreshNow(current);
    });
  }

  private async refreshNow(current: Session): Promise<Session> {
    let fresh: Session;
    try {
      fresh = await this.send('auth.refresh', { refreshToken: current.tokens.refreshToken }, undefined, {});
    } catch (err) {
      const e = ZhixinError.from(err);
      if (e.isAuthError() || e.status === 401 || e.code === 'ACCOUNT_DISABLED') await this.loseAuth(e);
      throw e;
    }
    // Logged out (or in as someone else) while the refresh was in flight: do not resurrect.
    if (this.opts.tokens.current?.sessionId !== current.sessionId)
      throw new ZhixinError('UNAUTHENTICATED', 'session changed during refresh', { status: 0 });
    await this.opts.tokens.save(fresh);
    this.emitter.emit('session.refreshed', fresh);
    return fresh;
  }

  private async sendOrLose<N extends OpName>(
    name: N,
    request: OpRequest<N>,
    token: string,
    options: CallOptions,
  ): Promise<OpResponse<N>> {
    try {
      return await this.send(name, request, token, options);
    } catch (err) {
      if (err instanceof ZhixinError && err.code === 'SESSION_REVOKED') await this.loseAuth(err);
      throw err;
    }
  }

  private async loseAuth(err: ZhixinError): Promise<void> {
    if (!this.opts.tokens.current) return;
    await this.opts.tokens.clear();
    this.emitter.emit('auth.lost', err);
  }

  private async send<N extends OpName>(
    name: N,
    request: OpRequest<N>,
    token: string | undefined,
    options: CallOptions,
  ): Promise<OpResponse<N>> {
    const http = buildHttpRequest(this.opts.baseUrl, name, request);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (http.body !== undefined) headers['content-type'] = 'application/json';
    if (token) headers.authorization = `Bearer ${token}`;
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    const abort = new AbortController();
    let timedOut = false;
    const timer = this.timers.setTimeout(() => {
      timedOut = true;
      abort.abort();
    }, timeoutMs);
    let status: number;
    let text: string;
    let retryAfter: string | null;
    try {
      const res = await this.fetchFn(http.url, {
        method: http.method,
        headers,
        body: http.body,
        signal: abort.signal,
      });
      status = res.status;
      retryAfter = res.headers.get('retry-after');
      text = await res.text();
    } catch (err) {
      throw timedOut ? ZhixinError.timeout(name, timeoutMs) : ZhixinError.network(err);
    } finally {
      this.timers.clearTimeout(timer);
    }
    let json: unknown;
    try {
      json = text === '' ? undefined : JSON.parse(text);
    } catch {
      json = text;
    }
    if (status < 200 || status >= 300) {
      throw ZhixinError.fromBody(json, status, {
        retryAfterMs: parseRetryAfter(retryAfter, this.timers.now()),
      });
    }
    if (typeof json !== 'object' || json === null) {
      throw new ZhixinError(SdkErrorCode.BadResponse, `${name}: the answer is not a JSON object`, {
        status,
        details: json,
      });
    }
    return json as OpResponse<N>;
  }
}
