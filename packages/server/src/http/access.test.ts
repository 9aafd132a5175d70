import { API_PREFIX, Operations, pathParams, type OpName } from '@zhixin/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../app.ts';
import { buildTestApp } from '../testing/app.ts';
import { registerUser } from '../testing/factories.ts';

function urlOf(name: OpName): string {
  let url = API_PREFIX + Operations[name].path;
  for (const p of pathParams(Operations[name].path)) url = url.replace(`{${p}}`, p === 'seq' ? '1' : 'X');
  return url;
}

/** The authorization matrix, route by route: who may call each operation is declared and enforced. */
describe('access to every route', () => {
  let app: App;
  let userToken: string;
  beforeAll(async () => {
    app = await buildTestApp();
    userToken = (await registerUser(app)).accessToken;
  });
  afterAll(() => app.close());

  it('registers a handler for every operation of the protocol', () => {
    expect(app.ops.registered().sort()).toEqual(Object.keys(Operations).sort());
  });

  for (const name of Object.keys(Operations) as OpName[]) {
    const def = Operations[name];
    if (def.access === 'public') {
      it(`${name} is open to anyone (never 401/403 without a token)`, async () => {
        const res = await app.http.inject({
          method: def.method,
          url: urlOf(name),
          payload: def.method === 'GET' || def.method === 'DELETE' ? undefined : {},
        });
        expect([401, 403]).not.toContain(res.statusCode);
      });
      continue;
    }
    it(`${name} refuses callers without a valid token`, async () => {
      const none = await app.http.inject({ method: def.method, url: urlOf(name) });
      expect(none.statusCode).toBe(401);
      expect(none.json().error.code).toBe('UNAUTHENTICATED');
      const forged = await app.http.inject({
        method: def.method,
        url: urlOf(name),
        headers: { authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.forged' },
      });
      expect(forged.statusCode).toBe(401);
      expect(forged.json().error.code).toBe('TOKEN_INVALID');
    });
    if (def.access === 'admin') {
      it(`${name} refuses ordinary users`, async () => {
        const res = await app.http.inject({
          method: def.method,
          url: urlOf(name),
          headers: { authorization: `Bearer ${userToken}` },
        });
        expect(res.statusCode).toBe(403);
      });
    }
  }
});
