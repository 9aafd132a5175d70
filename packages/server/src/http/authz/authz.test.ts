import { readFileSync } from 'node:fs';
import { API_PREFIX, Operations, pathParams, type OpName } from '@zhixin/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTHORIZATION_DOC, renderAuthorizationTable } from '../../../../../scripts/authz-table.ts';
import { buildTestApp } from '../../testing/app.ts';
import type { World } from './authz.types.ts';
import { allOpCases, allRouteCases } from './cases.index.ts';
import { authzAppOptions } from './cases.platform.ts';
import {
  CallerSockets,
  duplicates,
  plainRoutes,
  randomAddress,
  verifyOpCase,
  verifyRouteCase,
} from './runner.ts';
import { buildWorld, endWorld } from './world.ts';

/** A URL of an operation with placeholder path parameters: the token is checked before anything else. */
function placeholderUrl(name: OpName): string {
  let url = API_PREFIX + Operations[name].path;
  for (const p of pathParams(Operations[name].path)) url = url.replace(`{${p}}`, p === 'seq' ? '1' : 'X');
  return url;
}

/** Every caller kind, REST and WS, each with its own prepare: a case takes a while on a loaded machine. */
const CASE_TIMEOUT_MS = 120_000;

/**
 * The authorization proof (issue 6): every operation and route has a case saying who may call it,
 * and every case is walked with every kind of caller through real requests (REST, and the
 * WebSocket for operations that have it). docs/AUTHORIZATION.md is generated from the same cases.
 */
describe('authorization of every operation and route', () => {
  let w: World;
  let sockets: CallerSockets;
  beforeAll(async () => {
    // A license key an administrator can install with, and meetings without a media server; one
    // world serves every case, so its tokens must outlive the run on a loaded machine.
    const options = authzAppOptions();
    const app = await buildTestApp({
      ...options,
      config: { ...options.config, auth: { accessTtlSeconds: 4 * 3600 } },
    });
    const port = await app.listen();
    w = await buildWorld(app);
    sockets = new CallerSockets(w, port);
  });
  afterAll(async () => {
    await sockets?.close();
    if (w) await endWorld(w);
  });

  describe('completeness', () => {
    it('registers a handler for every operation of the protocol', () => {
      expect(w.app.ops.registered().sort()).toEqual(Object.keys(Operations).sort());
    });

    it('has exactly one case for every operation', () => {
      const names = allOpCases.map((c) => c.op);
      const missing = (Object.keys(Operations) as OpName[]).filter((n) => !names.includes(n));
      expect({ missing, twice: duplicates(names) }).toEqual({ missing: [], twice: [] });
    });

    it('lets some kind of caller succeed at every operation (so each request is proven valid)', () => {
      expect(allOpCases.filter((c) => c.allow.length === 0).map((c) => c.op)).toEqual([]);
    });

    it('has exactly one case for every route that is not an operation', () => {
      const routes = allRouteCases.map((c) => c.route);
      const registered = plainRoutes(w.app);
      const missing = registered.filter((r) => !routes.includes(r));
      const unknown = routes.filter((r) => !registered.includes(r));
      expect({ missing, unknown, twice: duplicates(routes) }).toEqual({
        missing: [],
        unknown: [],
        twice: [],
      });
    });

    it('docs/AUTHORIZATION.md is what `npm run authz:table` generates from these cases', () => {
      expect(readFileSync(AUTHORIZATION_DOC, 'utf8')).toBe(renderAuthorizationTable());
    });
  });

  it('refuses every signed-in operation without a token (UNAUTHENTICATED) or with a forged one (TOKEN_INVALID)', async () => {
    const wrong: string[] = [];
    for (const name of Object.keys(Operations) as OpName[]) {
      const def = Operations[name];
      if (def.access === 'public') continue;
      for (const [authorization, code] of [
        [undefined, 'UNAUTHENTICATED'],
        ['Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.forged', 'TOKEN_INVALID'],
      ] as const) {
        const res = await w.app.http.inject({
          method: def.method,
          url: placeholderUrl(name),
          remoteAddress: randomAddress(),
          headers: authorization ? { authorization } : {},
        });
        const got = (res.json() as { error?: { code?: string } }).error?.code;
        if (res.statusCode !== 401 || got !== code)
          wrong.push(`${name}: ${res.statusCode} ${got}, not ${code}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  describe('operations', () => {
    for (const kase of allOpCases) {
      it(
        `${kase.op}: ${kase.rule}`,
        async () => {
          expect(await verifyOpCase(w, kase, sockets)).toEqual([]);
        },
        CASE_TIMEOUT_MS,
      );
    }
  });

  describe('routes', () => {
    for (const kase of allRouteCases) {
      it(
        `${kase.route}: ${kase.rule}`,
        async () => {
          expect(await verifyRouteCase(w, kase)).toEqual([]);
        },
        CASE_TIMEOUT_MS,
      );
    }
  });
});
