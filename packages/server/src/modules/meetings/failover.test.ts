import type { JoinMeetingResult, Meeting } from '@zhixin/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../app.ts';
import { createLogger } from '../../platform/logger.ts';
import { JanusPool, startManagedJanus, type ManagedJanus } from '../../platform/media/index.ts';
import { buildTestApp, testDialects } from '../../testing/app.ts';
import { connectDevice, type TestDevice } from '../../testing/devices.ts';
import { mustCall, registerUser, type TestUser } from '../../testing/factories.ts';
import { janusInstalled, pluginData, ProxyClient } from './meetings.testing.ts';

describe.runIf(janusInstalled()).each(testDialects())('a pool of two Janus servers (%s)', (dialect) => {
  let app: App;
  let port: number;
  let a: ManagedJanus;
  let b: ManagedJanus;
  let pool: JanusPool;
  let host: TestUser;
  let device: TestDevice;

  beforeAll(async () => {
    const log = createLogger('silent');
    [a, b] = await Promise.all([
      startManagedJanus({ id: 'janus-a', log, rtpPortRange: '41000-41999' }),
      startManagedJanus({ id: 'janus-b', log, rtpPortRange: '42000-42999' }),
    ]);
    pool = new JanusPool({ servers: [a.server, b.server], embeddedBinary: null, healthCheckMs: 300, log });
    app = await buildTestApp({ dialect, janusPool: pool });
    port = await app.listen();
    host = await registerUser(app, { nickname: 'Host' });
    device = await connectDevice(port, host);
  });

  afterAll(async () => {
    device.ws.close();
    await app.close();
    await Promise.all([a.stop(), b.stop()]);
  });

  it('places rooms on the least-loaded server and moves them when that server dies', async () => {
    const create = () =>
      mustCall(app, 'meetings.create', { topic: 'pool' }, host.accessToken) as Promise<Meeting>;
    const m1 = await create();
    const j1 = await mustCall(app, 'meetings.join', { meetingId: m1.id }, host.accessToken);
    const m2 = await create();
    const j2 = await mustCall(app, 'meetings.join', { meetingId: m2.id }, host.accessToken);
    const serverOf = (j: JoinMeetingResult) =>
      (
        JSON.parse(Buffer.from(j.media.grant.split('.')[1]!, 'base64url').toString('utf8')) as {
          server: string;
        }
      ).server;
    // One room each: the second went to the server with fewer rooms.
    expect(new Set([serverOf(j1), serverOf(j2)])).toEqual(new Set(['janus-a', 'janus-b']));
    const [onA, jA] = serverOf(j1) === 'janus-a' ? [m1, j1] : [m2, j2];

    const client = await ProxyClient.open(port, jA.media.wsUrl);
    const { session, handle } = await client.attach();
    await client.message(session, handle, {
      request: 'join',
      ptype: 'publisher',
      room: jA.media.room,
      id: jA.media.feedId,
    });
    const closed = new Promise<void>((resolve) => client.socket.onClose(resolve));

    a.kill();
    expect(await device.nextEvent('meeting.control.v1', 5000)).toEqual({
      meetingId: onA.id,
      action: 'reconnect',
      byUserId: null,
    });
    await closed;
    expect(pool.aliveIds()).toEqual(['janus-b']);
    // The old grant names the dead server: refused. Joining again gives one for the new room.
    await expect(ProxyClient.open(port, jA.media.wsUrl)).rejects.toThrow(/401/);
    const again = await mustCall(app, 'meetings.join', { meetingId: onA.id }, host.accessToken);
    expect(serverOf(again)).toBe('janus-b');
    expect(again.media.feedId).toBe(jA.media.feedId);
    const moved = await ProxyClient.open(port, again.media.wsUrl);
    const h = await moved.attach();
    const joined = pluginData(
      await moved.message(h.session, h.handle, {
        request: 'join',
        ptype: 'publisher',
        room: again.media.room,
        id: again.media.feedId,
      }),
    );
    expect(joined).toMatchObject({ videoroom: 'joined', room: again.media.room });
    moved.close();
  });
});
