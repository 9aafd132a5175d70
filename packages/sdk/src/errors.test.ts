import { describe, expect, it } from 'vitest';
import { SdkErrorCode, ZhixinError } from './errors.ts';

describe('ZhixinError', () => {
  it('reads code, message, details and status from an error body', () => {
    const err = ZhixinError.fromBody(
      { error: { code: 'NOT_MEMBER', message: 'You are not a member', details: { id: 'c1' } } },
      403,
    );
    expect(err).toBeInstanceOf(ZhixinError);
    expect(err).toBeInstanceOf(Error);
    expect(err.code).toBe('NOT_MEMBER');
    expect(err.message).toBe('You are not a member');
    expect(err.details).toEqual({ id: 'c1' });
    expect(err.status).toBe(403);
    expect(err.name).toBe('ZhixinError');
  });

  it('takes the status from the catalog when the transport has none (WebSocket)', () => {
    expect(ZhixinError.fromBody({ error: { code: 'GROUP_FULL', message: 'full' } }).status).toBe(422);
  });

  it('keeps codes it does not know (a newer server)', () => {
    const err = ZhixinError.fromBody({ error: { code: 'SOMETHING_NEW', message: 'new' } }, 418);
    expect(err.code).toBe('SOMETHING_NEW');
    expect(err.status).toBe(418);
  });

  it('turns a body that is not the protocol into BAD_RESPONSE with the body as details', () => {
    const err = ZhixinError.fromBody('<html>502 Bad Gateway</html>', 502);
    expect(err.code).toBe(SdkErrorCode.BadResponse);
    expect(err.status).toBe(502);
    expect(err.details).toBe('<html>502 Bad Gateway</html>');
    expect(ZhixinError.fromBody(undefined, 500).code).toBe('BAD_RESPONSE');
    expect(ZhixinError.fromBody({ error: 'nope' }, 500).code).toBe('BAD_RESPONSE');
  });

  it('reads retryAfterMs from details first, then from the Retry-After header', () => {
    const fromDetails = ZhixinError.fromBody(
      { error: { code: 'RATE_LIMITED', message: 'slow', details: { retryAfterMs: 1500 } } },
      429,
      { retryAfterMs: 9000 },
    );
    expect(fromDetails.isRateLimited()).toBe(true);
    expect(fromDetails.retryAfterMs()).toBe(1500);
    const fromHeader = ZhixinError.fromBody({ error: { code: 'RATE_LIMITED', message: 'slow' } }, 429, {
      retryAfterMs: 9000,
    });
    expect(fromHeader.retryAfterMs()).toBe(9000);
    expect(
      ZhixinError.fromBody({ error: { code: 'NOT_FOUND', message: 'x' } }, 404).retryAfterMs(),
    ).toBeUndefined();
  });

  it('classifies auth errors', () => {
    for (const code of ['UNAUTHENTICATED', 'TOKEN_EXPIRED', 'TOKEN_INVALID', 'SESSION_REVOKED']) {
      expect(new ZhixinError(code, code).isAuthError()).toBe(true);
    }
    expect(new ZhixinError('INVALID_CREDENTIALS', 'x').isAuthError()).toBe(false);
    expect(new ZhixinError('FORBIDDEN', 'x').isAuthError()).toBe(false);
  });

  it('has factories for client-side failures, with status 0, all transient', () => {
    const timeout = ZhixinError.timeout('messages.send', 100);
    expect(timeout.code).toBe('TIMEOUT');
    expect(timeout.message).toBe('messages.send timed out after 100 ms');
    const cause = new TypeError('fetch failed');
    const network = ZhixinError.network(cause);
    expect(network.code).toBe('NETWORK_ERROR');
    expect(network.cause).toBe(cause);
    const closed = ZhixinError.closed('heartbeat_timeout');
    expect(closed.code).toBe('CONNECTION_CLOSED');
    expect(closed.details).toEqual({ reason: 'heartbeat_timeout' });
    for (const e of [timeout, network, closed]) {
      expect(e.status).toBe(0);
      expect(e.isTransient()).toBe(true);
    }
    expect(new ZhixinError('VALIDATION_FAILED', 'x').isTransient()).toBe(false);
    expect(new ZhixinError('UNAVAILABLE', 'x').isTransient()).toBe(true);
  });

  it('wraps foreign errors but passes its own through', () => {
    const own = ZhixinError.timeout();
    expect(ZhixinError.from(own)).toBe(own);
    expect(ZhixinError.from(new Error('boom')).code).toBe('NETWORK_ERROR');
  });
});
