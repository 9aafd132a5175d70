import { describe, expect, it } from 'vitest';
import { MemoryStorage } from '../storage/storage.ts';
import { TokenStore, type Session } from '../storage/token-store.ts';
import type { FetchLike } from './fetch.ts';
import { RestClient, type LockFn } from './rest-client.ts';

// Regression: two tabs of one browser share localStorage and so one refresh token. Both saw
// TOKEN_EXPIRED at once and both refreshed; the server took the second use of the rotated token for
// theft and revoked the session, logging the user out of every tab.

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

/** A lock shared by the "tabs" of this test, like navigator.locks in one browser. */
function sharedLock(): LockFn {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(_name: string, fn: () => Promise<T>): Promise<T> => {
    const run = tail.then(fn, fn);
    tail = run.catch(() => undefined);
    return run;
  };
}

/** A server that rotates refresh tokens and revokes the session when a rotated one is reused. */
function rotatingServer() {
  let current = 1;
  let revoked = false;
  const refreshBodies: string[] = [];
  const fetch: FetchLike = async (url, init) => {
    let status = 200;
    let body: unknown;
    if (url.endsWith('/auth/refresh')) {
      const { refreshToken } = JSON.parse(init.body as string) as { refreshToken: string };
      refreshBodies.push(refreshToken);
      await new Promise((r) => setTimeout(r, 10));
      if (refreshToken === session(current).tokens.refreshToken && !revoked) {
        current++;
        body = session(current);
      } else {
        revoked = true;
        status = 401;
        body = { error: { code: 'SESSION_REVOKED', message: 'reused refresh token' } };
      }
    } else if (!revoked && init.headers.authorization === `Bearer ${session(current).tokens.accessToken}`) {
      body = {
        id: 'u1',
        phone: '1',
        nickname: 'me',
        avatarFileId: null,
        signature: '',
        role: 'user',
        createdAt: 1,
      };
    } else {
      status = 401;
      body = { error: { code: revoked ? 'SESSION_REVOKED' : 'TOKEN_EXPIRED', message: 'x' } };
    }
    return {
      status,
      ok: status === 200,
      headers: { get: () => null },
      text: async () => JSON.stringify(body),
    };
  };
  return { fetch, refreshBodies, isRevoked: () => revoked };
}

async function tabs(storage: MemoryStorage, fetch: FetchLike, lock?: LockFn) {
  const make = async () => {
    const tokens = new TokenStore(storage);
    await tokens.load();
    const rest = new RestClient({ baseUrl: 'http://server', tokens, fetch, timeoutMs: 1000, lock });
    const lost: unknown[] = [];
    rest.on('auth.lost', (e) => lost.push(e));
    return { rest, tokens, lost };
  };
  return [await make(), await make()] as const;
}

describe('token refresh shared by tabs', () => {
  it('refreshes once when two tabs sharing storage find the token expired together', async () => {
    const storage = new MemoryStorage();
    await new TokenStore(storage).save(session(1));
    const server = rotatingServer();
    const [a, b] = await tabs(storage, server.fetch, sharedLock());
    const results = await Promise.all([a.rest.refreshSession(), b.rest.refreshSession()]);
    expect(results[0].tokens.refreshToken).toBe(results[1].tokens.refreshToken);
    expect(server.refreshBodies).toEqual(['refresh-token-1-padding']);
    expect(server.isRevoked()).toBe(false);
    expect(a.lost).toHaveLength(0);
    expect(b.lost).toHaveLength(0);
    await expect(b.rest.call('users.me', {})).resolves.toMatchObject({ id: 'u1' });
  });

  it('without the shared lock the second tab reuses the rotated token (what the lock prevents)', async () => {
    const storage = new MemoryStorage();
    await new TokenStore(storage).save(session(1));
    const server = rotatingServer();
    const [a, b] = await tabs(storage, server.fetch, (_name, fn) => fn());
    await Promise.allSettled([a.rest.refreshSession(), b.rest.refreshSession()]);
    expect(server.refreshBodies).toEqual(['refresh-token-1-padding', 'refresh-token-1-padding']);
    expect(server.isRevoked()).toBe(true);
  });

  it('a tab that finds the session logged out elsewhere reports it lost', async () => {
    const storage = new MemoryStorage();
    await new TokenStore(storage).save(session(1));
    const server = rotatingServer();
    const [a, b] = await tabs(storage, server.fetch, sharedLock());
    await a.tokens.clear();
    await expect(b.rest.refreshSession()).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(b.lost).toHaveLength(1);
    expect(server.refreshBodies).toEqual([]);
  });
});
