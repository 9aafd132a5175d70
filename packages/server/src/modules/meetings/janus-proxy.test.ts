import type { JoinMeetingResult, Meeting } from '@zhixin/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../app.ts';
import { GrantSigner, JanusError, type GrantClaims } from '../../platform/media/index.ts';
import { buildTestApp, testDialects } from '../../testing/app.ts';
import { mustCall, registerUser, type TestUser } from '../../testing/factories.ts';
import { janusInstalled, pluginData, ProxyClient } from './meetings.testing.ts';

describe.runIf(janusInstalled()).each(testDialects())('the media proxy /janus (%s)', (dialect) => {
  let app: App;
  let port: number;
  let host: TestUser;
  let join: JoinMeetingResult;
  let claims: GrantClaims;
  let signer: GrantSigner;
  const clients: ProxyClient[] = [];

  const open = async (wsUrl: string) => {
    const c = await ProxyClient.open(port, wsUrl);
    clients.push(c);
    return c;
  };
  const urlOf = (grant: string) => `/janus?grant=${encodeURIComponent(grant)}`;
  /** The proxy's (or Janus's) refusal code of a request. */
  const refusal = (p: Promise<unknown>) =>
    p.then(
      () => 'accepted',
      (err: unknown) => (err instanceof JanusError ? err.code : String(err)),
    );

  beforeAll(async () => {
    app = await buildTestApp({ dialect });
    port = await app.listen();
    host = await registerUser(app, { nickname: 'Host' });
    const m = await mustCall(app, 'meetings.create', { topic: 'proxy' }, host.accessToken);
    join = await mustCall(app, 'meetings.join', { meetingId: (m as Meeting).id }, host.accessToken);
    claims = JSON.parse(
      Buffer.from(join.media.grant.split('.')[1]!, 'base64url').toString('utf8'),
    ) as GrantClaims;
    // The same key the server signs with, to make grants that are valid but wrong in one way.
    signer = new GrantSigner((data) => app.platform.keyring.blindIndex('media-grant', data));
  });

  afterAll(async () => {
    for (const c of clients) c.close();
    await app.close();
  });

  it('refuses forged, expired, other-room and missing grants before the upgrade', async () => {
    const [prefix, body, mac] = join.media.grant.split('.');
    const forgedBody = Buffer.from(JSON.stringify({ ...claims, room: claims.room + 1 })).toString(
      'base64url',
    );
    const cases = [
      `${prefix}.${forgedBody}.${mac}`,
      `${prefix}.${body}.${mac!.slice(0, -2)}xx`,
      signer.sign({ ...claims, exp: Date.now() - 1 }),
      signer.sign({ ...claims, room: claims.room + 1 }),
      signer.sign({ ...claims, feedId: claims.feedId + 1 }),
      signer.sign({ ...claims, meetingId: 'nosuchmeeting' }),
      'garbage',
    ];
    for (const grant of cases) await expect(open(urlOf(grant))).rejects.toThrow(/401/);
    await expect(open('/janus')).rejects.toThrow(/401/);
    const res = await app.http.inject({ method: 'GET', url: '/janus' });
    expect(res.statusCode).toBe(404);
  });

  it('relays the allowed videoroom requests and refuses the rest without reaching Janus', async () => {
    const c = await open(join.media.wsUrl);
    const { session, handle } = await c.attach();
    const room = join.media.room;

    // Room management is the server's: create, destroy, kick, moderate, list, recording.
    for (const body of [
      { request: 'create', room: 42 },
      { request: 'destroy', room },
      { request: 'kick', room, id: join.media.feedId },
      { request: 'moderate', room, id: join.media.feedId, mid: '0', mute: true },
      { request: 'list' },
      { request: 'exists', room },
      { request: 'rtp_forward', room, publisher_id: join.media.feedId, host: '127.0.0.1' },
      { request: 'listparticipants', room: room + 1 },
      { request: 'join', ptype: 'publisher', room: room + 1, id: join.media.feedId },
      { request: 'join', ptype: 'publisher', room, id: join.media.feedId + 1 },
      { request: 'join', ptype: 'publisher', room },
      { request: 'configure', record: true },
    ]) {
      expect(await refusal(c.message(session, handle, body)), JSON.stringify(body)).toBe(403);
    }
    // None of them reached Janus: no room 42, and ours is still there.
    const server = app.services.meetings.pool.live(claims.server)!;
    expect(await server.control.videoroom({ request: 'exists', room: 42 })).toMatchObject({ exists: false });
    expect(await server.control.videoroom({ request: 'exists', room })).toMatchObject({ exists: true });
    // Other plugins, other sessions and handles, admin requests.
    expect(
      await refusal(
        c.socket.request({ janus: 'attach', session_id: session, plugin: 'janus.plugin.echotest' }),
      ),
    ).toBe(403);
    expect(await refusal(c.socket.request({ janus: 'keepalive', session_id: session + 1 }))).toBe(403);
    expect(
      await refusal(
        c.socket.request({
          janus: 'message',
          session_id: session,
          handle_id: handle + 1,
          body: { request: 'leave' },
        }),
      ),
    ).toBe(403);
    expect(await refusal(c.socket.request({ janus: 'add_token', token: 'mine' }))).toBe(403);
    expect(await refusal(c.socket.request({ janus: 'info' }))).toBe(403);

    // What a participant does: join with the granted feed id (screen share: the second one), list, leave.
    const joined = pluginData(
      await c.message(session, handle, { request: 'join', ptype: 'publisher', room, id: join.media.feedId }),
    );
    expect(joined).toMatchObject({ videoroom: 'joined', room, id: join.media.feedId });
    const screen = await c.attach();
    const shared = pluginData(
      await c.message(screen.session, screen.handle, {
        request: 'join',
        ptype: 'publisher',
        room,
        id: join.media.screenFeedId,
      }),
    );
    expect(shared).toMatchObject({ videoroom: 'joined', id: join.media.screenFeedId });
    const listed = pluginData(await c.message(session, handle, { request: 'listparticipants', room }));
    expect((listed.participants as Array<{ id: number }>).map((p) => p.id).sort()).toEqual(
      [join.media.feedId, join.media.screenFeedId].sort(),
    );
    expect(await refusal(c.socket.request({ janus: 'keepalive', session_id: session }, 3000, true))).toBe(
      'accepted',
    );
    const left = pluginData(await c.message(session, handle, { request: 'leave' }));
    expect(left.videoroom).toBe('event');
  });
});
