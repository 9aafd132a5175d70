import { describe, expect, it } from 'vitest';
import { ZhixinError } from '../errors.ts';
import { MemoryStorage } from '../storage/storage.ts';
import { TokenStore, type Session } from '../storage/token-store.ts';
import type { FetchInit, FetchLike } from './fetch.ts';
import { RestClient } from './rest-client.ts';

interface Seen {
  url: string;
  init: FetchInit;
}
type Reply = { status: number; body?: unknown; headers?: Record<string, string> } | Promise<never>;

function fakeFetch(route: (url: string, init: FetchInit) => Reply | Promise<Reply>): {
  fetch: FetchLike;
  seen: Seen[];
} {
  const seen: Seen[] = [];
  const fetch: FetchLike = async (url, init) => {
    seen.push({ url, init });
    const r = await route(url, init);
    return {
      status: r.status,
      ok: r.status >= 200 && r.status < 300,
      headers: { get: (name: string) => r.headers?.[name.toLowerCase()] ?? null },
      text: async () =>
        r.body === undefined ? '' : typeof r.body === 'string' ? r.body : JSON.stringify(r.body),
    };
  };
  return { fetch, seen };
}

function session(n: number): Session {
  return {
    userId: 'u1',
    sessionId: 's1',
    tokens: {
      accessToken: `access-${n}`,
      accessExpiresAt: Date.now() + 60_000,
      refreshToken: `refresh-token-${n}-padding`,
      refreshExpiresAt: Date.now() + 1e9,
    },
  };
}

const error = (status: number, code: string): Reply => ({ status, body: { error: { code, message: code } } });
const ME = {
  id: 'u1',
  phone: '1',
  nickname: 'me',
  avatarFileId: null,
  signature: '',
  role: 'user',
  createdAt: 1,
};
const bearer = (s: Seen): string | undefined => s.init.headers.authorization;

async function setup(route: Parameters<typeof fakeFetch>[0], stored: Session | null = session(1)) {
  const tokens = new TokenStore(new MemoryStorage());
  if (stored) await tokens.save(stored);
  const { fetch, seen } = fakeFetch(route);
  const rest = new RestClient({ baseUrl: 'http://server', tokens, fetch, timeoutMs: 200 });
  const lost: ZhixinError[] = [];
  rest.on('auth.lost', (e) => lost.push(e));
  return { rest, tokens, seen, lost };
}

describe('RestClient', () => {
  it('sends the bearer token to user operations and none to public ones', async () => {
    const { rest, seen } = await setup((url) =>
      url.endsWith('/sms-codes')
        ? { status: 200, body: { retryAfterSeconds: 60 } }
        : { status: 200, body: ME },
    );
    await expect(rest.call('users.me', {})).resolves.toEqual(ME);
    await rest.call('auth.sendSmsCode', { phone: '13800138000', purpose: 'login' });
    expect(bearer(seen[0] as Seen)).toBe('Bearer access-1');
    expect(seen[0]?.init.method).toBe('GET');
    expect(seen[0]?.init.body).toBeUndefined();
    expect(bearer(seen[1] as Seen)).toBeUndefined();
    expect(seen[1]?.init.headers['content-type']).toBe('application/json');
    expect(JSON.parse(seen[1]?.init.body as string)).toEqual({ phone: '13800138000', purpose: 'login' });
  });

  it('refuses a user operation when logged out, without a request', async () => {
    const { rest, seen } = await setup(() => ({ status: 200, body: ME }), null);
    await expect(rest.call('users.me', {})).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(seen).toHaveLength(0);
  });

  it('turns error bodies into ZhixinError with status and Retry-After', async () => {
    const { rest } = await setup(() => ({
      status: 429,
      body: { error: { code: 'RATE_LIMITED', message: 'slow down' } },
      headers: { 'retry-after': '2' },
    }));
    const err = (await rest.call('users.me', {}).catch((e: unknown) => e)) as ZhixinError;
    expect(err).toBeInstanceOf(ZhixinError);
    expect(err.code).toBe('RATE_LIMITED');
    expect(err.status).toBe(429);
    expect(err.retryAfterMs()).toBe(2000);
  });

  it('reports a failed fetch as NETWORK_ERROR and a silent server as TIMEOUT', async () => {
    const down = await setup(() => Promise.reject(new TypeError('fetch failed')));
    await expect(down.rest.call('users.me', {})).rejects.toMatchObject({ code: 'NETWORK_ERROR', status: 0 });
    const silent = await setup(
      (_url, init) =>
        new Promise<never>((_resolve, reject) =>
          init.signal?.addEventListener('abort', () => reject(new Error('aborted'))),
        ),
    );
    await expect(silent.rest.call('users.me', {})).rejects.toMatchObject({ code: 'TIMEOUT' });
  });

  it('refreshes an expired token once for concurrent calls and retries each once', async () => {
    let refreshes = 0;
    const { rest, tokens, seen } = await setup(async (url, init) => {
      if (url.endsWith('/auth/refresh')) {
        refreshes++;
        expect(JSON.parse(init.body as string)).toEqual({ refreshToken: 'refresh-token-1-padding' });
        await new Promise((r) => setTimeout(r, 20));
        return { status: 200, body: session(2) };
      }
      return init.headers.authorization === 'Bearer access-2'
        ? { status: 200, body: ME }
        : error(401, 'TOKEN_EXPIRED');
    });
    const results = await Promise.all([
      rest.call('users.me', {}),
      rest.call('users.me', {}),
      rest.call('users.me', {}),
    ]);
    expect(results).toEqual([ME, ME, ME]);
    expect(refreshes).toBe(1);
    expect(tokens.current?.tokens.accessToken).toBe('access-2');
    expect(seen.filter((s) => s.url.endsWith('/users/me'))).toHaveLength(6);
  });

  it('does not refresh again for a call that failed with a token already replaced', async () => {
    let refreshes = 0;
    let releaseSlow: () => void = () => {};
    const slowGate = new Promise<void>((r) => (releaseSlow = r));
    const { rest } = await setup(async (url, init) => {
      if (url.endsWith('/auth/refresh')) {
        refreshes++;
        return { status: 200, body: session(2) };
      }
      if (init.headers.authorization === 'Bearer access-2') return { status: 200, body: ME };
      if (url.includes('/users?')) await slowGate; // this call's TOKEN_EXPIRED arrives after the refresh
      return error(401, 'TOKEN_EXPIRED');
    });
    const slow = rest.call('users.profiles', { ids: 'u1' });
    await rest.call('users.me', {});
    releaseSlow();
    await expect(slow).resolves.toEqual(ME);
    expect(refreshes).toBe(1);
  });

  it('retries only once: still expired after a refresh is an error', async () => {
    let refreshes = 0;
    const { rest, lost } = await setup((url) => {
      if (url.endsWith('/auth/refresh')) {
        refreshes++;
        return { status: 200, body: session(2) };
      }
      return error(401, 'TOKEN_EXPIRED');
    });
    await expect(rest.call('users.me', {})).rejects.toMatchObject({ code: 'TOKEN_EXPIRED' });
    expect(refreshes).toBe(1);
    expect(lost).toHaveLength(0);
  });

  it('loses the session once when the refresh token is refused', async () => {
    const { rest, tokens, lost } = await setup((url) =>
      url.endsWith('/auth/refresh') ? error(401, 'TOKEN_INVALID') : error(401, 'TOKEN_EXPIRED'),
    );
    const calls = [rest.call('users.me', {}), rest.call('users.me', {})];
    for (const c of calls) await expect(c).rejects.toMatchObject({ code: 'TOKEN_INVALID' });
    expect(lost.map((e) => e.code)).toEqual(['TOKEN_INVALID']);
    expect(tokens.current).toBeNull();
  });

  it('keeps the session when the refresh fails for lack of network', async () => {
    const { rest, tokens, lost } = await setup((url) =>
      url.endsWith('/auth/refresh') ? Promise.reject(new TypeError('offline')) : error(401, 'TOKEN_EXPIRED'),
    );
    await expect(rest.call('users.me', {})).rejects.toMatchObject({ code: 'NETWORK_ERROR' });
    expect(lost).toHaveLength(0);
    expect(tokens.current?.tokens.accessToken).toBe('access-1');
  });

  it('loses the session on SESSION_REVOKED', async () => {
    const { rest, tokens, lost } = await setup(() => error(401, 'SESSION_REVOKED'));
    await expect(rest.call('users.me', {})).rejects.toMatchObject({ code: 'SESSION_REVOKED' });
    expect(lost.map((e) => e.code)).toEqual(['SESSION_REVOKED']);
    expect(tokens.current).toBeNull();
  });

  it('reports an answer that is not JSON as BAD_RESPONSE', async () => {
    const { rest } = await setup(() => ({ status: 502, body: '<html>bad gateway</html>' }));
    await expect(rest.call('users.me', {})).rejects.toMatchObject({ code: 'BAD_RESPONSE', status: 502 });
  });
});
