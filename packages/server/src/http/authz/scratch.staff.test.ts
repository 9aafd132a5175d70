import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp } from '../../testing/app.ts';
import type { World } from './authz.types.ts';
import * as admin from './cases.admin.ts';
import * as audit from './cases.audit.ts';
import * as calls from './cases.calls.ts';
import * as exportsArea from './cases.exports.ts';
import * as meetings from './cases.meetings.ts';
import * as opsaccount from './cases.opsaccount.ts';
import * as platform from './cases.platform.ts';
import * as stats from './cases.stats.ts';
import { CallerSockets, verifyOpCase, verifyRouteCase } from './runner.ts';
import { buildWorld } from './world.ts';

// Scratch (deleted before hand-off): my cases on an app built with authzAppOptions().
describe('staff cases with authzAppOptions', () => {
  let w: World;
  let sockets: CallerSockets;
  beforeAll(async () => {
    const app = await buildTestApp(platform.authzAppOptions());
    const port = await app.listen();
    w = await buildWorld(app);
    sockets = new CallerSockets(w, port);
  });
  afterAll(async () => {
    await sockets?.close();
    await w?.app.close();
  });
  const areas = [admin, stats, audit, exportsArea, opsaccount, calls, meetings, platform];
  for (const area of areas) {
    for (const kase of area.opCases) {
      it(`${kase.op}`, async () => expect(await verifyOpCase(w, kase, sockets)).toEqual([]));
    }
    for (const kase of 'routeCases' in area ? area.routeCases : []) {
      it(`${kase.route}`, async () => expect(await verifyRouteCase(w, kase)).toEqual([]));
    }
  }
});
