import { statusOf, type ErrorCode } from '@zhixin/protocol';

/** Codes the SDK produces itself, for failures that never reached (or never came back from) the server. */
export const SdkErrorCode = {
  /** No answer within the time limit. */
  Timeout: 'TIMEOUT',
  /** The request could not be sent or its answer could not be read (offline, DNS, refused). */
  Network: 'NETWORK_ERROR',
  /** The realtime connection is not open, or closed while the request was in flight. */
  Closed: 'CONNECTION_CLOSED',
  /** The server answered with something that is not the protocol's JSON. */
  BadResponse: 'BAD_RESPONSE',
} as const;
export type SdkErrorCode = (typeof SdkErrorCode)[keyof typeof SdkErrorCode];

/** A catalog code, an SDK code, or a code added by a newer server. */
export type ZhixinErrorCode = ErrorCode | SdkErrorCode | (string & Record<never, never>);

const AUTH_CODES: ReadonlySet<string> = new Set([
  'UNAUTHENTICATED',
  'TOKEN_EXPIRED',
  'TOKEN_INVALID',
  'SESSION_REVOKED',
]);
const TRANSIENT_CODES: ReadonlySet<string> = new Set([
  SdkErrorCode.Timeout,
  SdkErrorCode.Network,
  SdkErrorCode.Closed,
  'RATE_LIMITED',
  'UNAVAILABLE',
  'SLOW_CONSUMER',
]);

export interface ZhixinErrorOptions {
  /** HTTP status; 0 when the failure happened on the client side. */
  status?: number;
  details?: unknown;
  /** From a `Retry-After` header, in milliseconds. */
  retryAfterMs?: number;
  cause?: unknown;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Every failure the SDK reports: a server error from the catalog (`{error:{code,message,details}}`
 * over REST or WebSocket) or a client-side one (`TIMEOUT`, `NETWORK_ERROR`, `CONNECTION_CLOSED`).
 *
 * @example
 * try {
 *   await client.messages.sendText(conversationId, 'hi');
 * } catch (err) {
 *   if (err instanceof ZhixinError && err.isRateLimited()) await sleep(err.retryAfterMs() ?? 1000);
 * }
 */
export class ZhixinError extends Error {
  override readonly name = 'ZhixinError';
  readonly code: ZhixinErrorCode;
  readonly status: number;
  readonly details: unknown;
  private readonly retryAfterHeaderMs: number | undefined;

  constructor(code: ZhixinErrorCode, message: string, options: ZhixinErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = options.status ?? statusOf(code);
    this.details = options.details;
    this.retryAfterHeaderMs = options.retryAfterMs;
  }

  /**
   * The error carried by a failed REST answer or WS `res` frame. Anything that is not
   * `{error:{code,message}}` becomes `BAD_RESPONSE` (or the error's own code if only `error` is there).
   *
   * @example
   * ZhixinError.fromBody({ error: { code: 'NOT_MEMBER', message: 'no' } }, 403).code; // 'NOT_MEMBER'
   */
  static fromBody(body: unknown, status?: number, options: { retryAfterMs?: number } = {}): ZhixinError {
    const inner =
      isRecord(body) && isRecord(body.error)
        ? body.error
        : isRecord(body) && 'code' in body
          ? body
          : undefined;
    if (inner && typeof inner.code === 'string') {
      const message = typeof inner.message === 'string' ? inner.message : inner.code;
      return new ZhixinError(inner.code, message, {
        status: status ?? statusOf(inner.code),
        details: inner.details,
        retryAfterMs: options.retryAfterMs,
      });
    }
    return new ZhixinError(
      SdkErrorCode.BadResponse,
      `unexpected response${status ? ` (HTTP ${status})` : ''}`,
      {
        status: status ?? 0,
        details: body,
        retryAfterMs: options.retryAfterMs,
      },
    );
  }

  /** No answer in time. @example throw ZhixinError.timeout('messages.send', 15000); */
  static timeout(what = 'request', afterMs?: number): ZhixinError {
    const tail = afterMs === undefined ? '' : ` after ${afterMs} ms`;
    return new ZhixinError(SdkErrorCode.Timeout, `${what} timed out${tail}`, { status: 0 });
  }

  /** The network failed underneath. @example ZhixinError.network(new TypeError('fetch failed')) */
  static network(cause?: unknown): ZhixinError {
    const why = cause instanceof Error ? `: ${cause.message}` : '';
    return new ZhixinError(SdkErrorCode.Network, `network error${why}`, { status: 0, cause });
  }

  /** The realtime connection is (or went) away. @example ZhixinError.closed('heartbeat_timeout') */
  static closed(reason?: string): ZhixinError {
    return new ZhixinError(SdkErrorCode.Closed, `connection closed${reason ? ` (${reason})` : ''}`, {
      status: 0,
      details: reason === undefined ? undefined : { reason },
    });
  }

  /** Wrap anything thrown into a ZhixinError (unchanged when it already is one). */
  static from(err: unknown): ZhixinError {
    if (err instanceof ZhixinError) return err;
    return ZhixinError.network(err);
  }

  /** The server asked us to slow down. */
  isRateLimited(): boolean {
    return this.code === 'RATE_LIMITED';
  }

  /** How long to wait before retrying: `details.retryAfterMs`, else the `Retry-After` header. */
  retryAfterMs(): number | undefined {
    if (isRecord(this.details) && typeof this.details.retryAfterMs === 'number')
      return this.details.retryAfterMs;
    return this.retryAfterHeaderMs;
  }

  /** The credentials are missing, expired, invalid or revoked. */
  isAuthError(): boolean {
    return AUTH_CODES.has(this.code);
  }

  /** Worth retrying unchanged later (network, timeout, closed connection, overload, rate limit). */
  isTransient(): boolean {
    return TRANSIENT_CODES.has(this.code);
  }

  toJSON(): { code: string; message: string; status: number; details?: unknown } {
    return { code: this.code, message: this.message, status: this.status, details: this.details };
  }
}
