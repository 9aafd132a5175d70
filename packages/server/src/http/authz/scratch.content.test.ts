// Scratch check of the content cases before the runner's test exists (deleted at the end).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../app.ts';
import { buildTestApp } from '../../testing/app.ts';
import type { World } from './authz.types.ts';
import { buildWorld } from './world.ts';
import { CallerSockets, attemptRest, verifyOpCase, verifyRouteCase } from './runner.ts';
import { CALLER_KINDS } from './authz.types.ts';
import { registeredRoutes } from '../server.ts';
import * as messaging from './cases.messaging.ts';
import * as groups from './cases.groups.ts';
import * as files from './cases.files.ts';
import * as moments from './cases.moments.ts';

const only = process.env.ZX_ONLY ?? '';
const routeOnly = process.env.ZX_ROUTES ?? '';
describe('scratch content cases', () => {
  let app: App;
  let w: World;
  let sockets: CallerSockets;
  beforeAll(async () => {
    app = await buildTestApp();
    const port = await app.listen();
    w = await buildWorld(app);
    sockets = new CallerSockets(w, port);
  }, 60_000);
  afterAll(async () => {
    await sockets.close();
    await app.close();
  });
  it('lists routes', () => {
    console.log(registeredRoutes(app.http).filter((r) => /uploads|files|images/.test(r)).join('\n'));
  });
  const ops = [...messaging.opCases, ...groups.opCases, ...files.opCases, ...moments.opCases];
  for (const kase of ops.filter((k) => k.op.includes(only))) {
    it(kase.op, async () => {
      if (process.env.ZX_CODES) {
        const line: string[] = [];
        for (const c of CALLER_KINDS) {
          const o = await attemptRest(w, kase, c);
          line.push(`${c}=${o.status}${o.code ? ':' + o.code : ''}`);
        }
        console.log(`CODES ${kase.op} ${line.join(' ')}`);
        return;
      }
      expect(await verifyOpCase(w, kase, sockets)).toEqual([]);
    }, 60_000);
  }
  for (const kase of (files.routeCases ?? []).filter((k) => k.route.includes(routeOnly))) {
    it(kase.route, async () => {
      if (process.env.ZX_CODES) {
        const line: string[] = [];
        for (const c of CALLER_KINDS) {
          const o = await kase.attempt(w, c);
          line.push(`${c}=${o.status}${o.code ? ':' + o.code : ''}`);
        }
        console.log(`CODES ${kase.route} ${line.join(' ')}`);
        return;
      }
      expect(await verifyRouteCase(w, kase)).toEqual([]);
    }, 60_000);
  }
});
import { injectAs } from './runner.ts';
describe('probe tus', () => {
  it('probes', async () => {
    const app2 = await buildTestApp();
    const w2 = await buildWorld(app2);
    const created = await app2.http.inject({ method: 'POST', url: '/api/v1/uploads', headers: { 'tus-resumable': '1.0.0', authorization: `Bearer ${w2.users.owner.accessToken}`, 'upload-length': '10', 'upload-metadata': 'filename eA==' } });
    const loc = String(created.headers.location);
    console.log('created', created.statusCode, loc);
    for (const caller of ['anonymous', 'owner', 'stranger'] as const) {
      for (const [method, url] of [['PATCH', '/api/v1/uploads'], ['HEAD', '/api/v1/uploads'], ['DELETE', '/api/v1/uploads'], ['OPTIONS', '/api/v1/uploads'], ['OPTIONS', loc], ['POST', loc]] as const) {
        const o = await injectAs(w2, caller, { method, url, headers: { 'tus-resumable': '1.0.0', 'upload-length': '10', 'upload-offset': '0', 'content-type': 'application/offset+octet-stream', origin: 'https://example.com', 'access-control-request-method': 'PATCH' }, ...(method === 'PATCH' ? { payload: Buffer.from('abcd') } : {}) });
        console.log('PROBE', caller, method, url, o.status, o.code ?? '');
      }
    }
    await app2.close();
  }, 60_000);
});
