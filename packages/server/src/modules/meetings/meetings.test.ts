import type { JoinMeetingResult, Meeting } from '@zhixin/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../app.ts';
import { buildTestApp, testDialects } from '../../testing/app.ts';
import { connectDevice, settle, type TestDevice } from '../../testing/devices.ts';
import { callOp, errorOf, mustCall, registerUser, type TestUser } from '../../testing/factories.ts';
import { janusInstalled, pluginData, ProxyClient } from './meetings.testing.ts';

interface Person {
  user: TestUser;
  device: TestDevice;
}

describe('meetings without a media server', () => {
  it('refuses create with MEDIA_UNAVAILABLE, saying what to install', async () => {
    const app = await buildTestApp({ config: { media: { embeddedJanus: 'off' } } });
    try {
      const alice = await registerUser(app);
      const res = await callOp(app, 'meetings.create', { topic: '周会' }, alice.accessToken);
      expect(errorOf(res)).toEqual({ status: 503, code: 'MEDIA_UNAVAILABLE' });
      expect(res.body.error?.message).toContain('janus');
      expect((await mustCall(app, 'meetings.history', {}, alice.accessToken)).items).toEqual([]);
    } finally {
      await app.close();
    }
  });
});

describe.runIf(janusInstalled()).each(testDialects())('meetings on a real Janus (%s)', (dialect) => {
  let app: App;
  let port: number;
  const devices: TestDevice[] = [];
  const clients: ProxyClient[] = [];

  const person = async (nickname: string): Promise<Person> => {
    const user = await registerUser(app, { nickname });
    const device = await connectDevice(port, user);
    devices.push(device);
    return { user, device };
  };
  const call = <T>(p: Person, op: Parameters<typeof mustCall>[1], body: Record<string, unknown>) =>
    mustCall(app, op, body, p.user.accessToken) as Promise<T>;
  const code = async (p: Person, op: Parameters<typeof callOp>[1], body: Record<string, unknown>) =>
    errorOf(await callOp(app, op, body, p.user.accessToken)).code;
  const proxy = async (join: JoinMeetingResult) => {
    const c = await ProxyClient.open(port, join.media.wsUrl);
    clients.push(c);
    return c;
  };
  const publish = async (c: ProxyClient, join: JoinMeetingResult) => {
    const { session, handle } = await c.attach();
    const joined = await c.message(session, handle, {
      request: 'join',
      ptype: 'publisher',
      room: join.media.room,
      id: join.media.feedId,
      display: 'someone else',
    });
    return { session, handle, data: pluginData(joined) };
  };

  /** Meetings and their participants counted in the statistics so far (today ± a day). */
  const meetingStats = async () => {
    await app.services.stats.flush();
    const now = Date.now();
    const series = await app.services.stats.series({
      metrics: 'meetings,meetingParticipants',
      from: now - 86_400_000,
      to: now + 86_400_000,
      granularity: 'day',
    });
    const total = (metric: string) =>
      series.lines.find((l) => l.metric === metric)!.values.reduce((a, b) => a + b, 0);
    return { meetings: total('meetings'), participants: total('meetingParticipants') };
  };

  beforeAll(async () => {
    app = await buildTestApp({ dialect, config: { publicUrl: 'https://im.example.com' } });
    port = await app.listen();
  });

  afterAll(async () => {
    for (const c of clients) c.close();
    for (const d of devices) d.ws.close();
    await app.close();
  });

  it('creates a meeting with a code and link; people join by code and reach the room through the proxy', async () => {
    const host = await person('Host');
    const bob = await person('Bob');
    const m = await call<Meeting>(host, 'meetings.create', { topic: '产品周会' });
    expect(m.code).toMatch(/^[1-9][0-9]{8}$/);
    expect(m.joinUrl).toBe(`https://im.example.com/meet/${m.code}`);
    expect(m).toMatchObject({ status: 'scheduled', hostId: host.user.userId, participants: [] });

    const hostJoin = await call<JoinMeetingResult>(host, 'meetings.join', { code: m.code });
    expect(hostJoin.meeting.status).toBe('live');
    expect(hostJoin.media.wsUrl).toMatch(/^\/janus\?grant=/);
    const bobJoin = await call<JoinMeetingResult>(bob, 'meetings.join', { code: m.code });
    expect(bobJoin.meeting.participants.map((p) => p.userId)).toEqual([host.user.userId, bob.user.userId]);
    expect(bobJoin.media.room).toBe(hostJoin.media.room);
    expect(await host.device.nextEvent('meeting.updated.v1')).toMatchObject({ change: 'joined' });

    const hostProxy = await proxy(hostJoin);
    const hostPub = await publish(hostProxy, hostJoin);
    expect(hostPub.data).toMatchObject({
      videoroom: 'joined',
      room: hostJoin.media.room,
      id: hostJoin.media.feedId,
    });
    const bobProxy = await proxy(bobJoin);
    const bobPub = await publish(bobProxy, bobJoin);
    expect(bobPub.data.videoroom).toBe('joined');
    // The proxy put the granted display name in, whatever the client said.
    const listed = pluginData(
      await bobProxy.message(bobPub.session, bobPub.handle, {
        request: 'listparticipants',
        room: bobJoin.media.room,
      }),
    );
    const displays = (listed.participants as Array<{ display: string }>).map((p) => p.display).sort();
    expect(displays).toEqual(['Bob', 'Host']);

    // Invitations ring; history and records follow the stays.
    const carol = await person('Carol');
    const invited = await call<{ invitedUserIds: string[] }>(host, 'meetings.invite', {
      meetingId: m.id,
      userIds: [carol.user.userId],
    });
    expect(invited.invitedUserIds).toEqual([carol.user.userId]);
    expect(await carol.device.nextEvent('meeting.invite.v1')).toMatchObject({
      meeting: { id: m.id },
      inviterId: host.user.userId,
    });
    await call(bob, 'meetings.leave', { meetingId: m.id });
    const history = await call<{ items: Array<{ meetingId: string; myDurationMs: number }> }>(
      bob,
      'meetings.history',
      {},
    );
    expect(history.items[0]).toMatchObject({ meetingId: m.id, topic: '产品周会', participantCount: 2 });
    const record = await call<{ attendance: Array<{ userId: string; leftAt: number | null }> }>(
      host,
      'meetings.record',
      { meetingId: m.id },
    );
    expect(record.attendance.find((a) => a.userId === bob.user.userId)?.leftAt).not.toBeNull();
    expect(await code(bob, 'meetings.record', { meetingId: m.id })).toBe('FORBIDDEN');
    await call(bob, 'meetings.deleteHistory', { meetingIds: [m.id] });
    expect((await call<{ items: unknown[] }>(bob, 'meetings.history', {})).items).toEqual([]);
    expect((await call<{ items: unknown[] }>(host, 'meetings.history', {})).items).toHaveLength(1);
    await call(host, 'meetings.end', { meetingId: m.id });
  });

  it('locks, invite-only and host-only controls refuse the right people with typed errors', async () => {
    const host = await person('Host');
    const bob = await person('Bob');
    const eve = await person('Eve');
    const m = await call<Meeting>(host, 'meetings.create', {
      topic: 'locked',
      settings: { inviteOnly: true },
    });
    await call(host, 'meetings.join', { meetingId: m.id });
    expect(await code(eve, 'meetings.join', { code: m.code })).toBe('MEETING_INVITE_ONLY');
    expect(await code(eve, 'meetings.get', { meetingId: m.id })).toBe('NOT_FOUND');
    await call(host, 'meetings.invite', { meetingId: m.id, userIds: [bob.user.userId] });
    await call(bob, 'meetings.join', { code: m.code });
    expect(await code(bob, 'meetings.lock', { meetingId: m.id })).toBe('FORBIDDEN');
    expect(await code(bob, 'meetings.muteAll', { meetingId: m.id })).toBe('FORBIDDEN');
    expect(await code(eve, 'meetings.end', { meetingId: m.id })).toBe('NOT_FOUND');

    await call(host, 'meetings.update', { meetingId: m.id, settings: { inviteOnly: false } });
    await call(host, 'meetings.lock', { meetingId: m.id });
    expect(await code(eve, 'meetings.join', { code: m.code })).toBe('MEETING_LOCKED');
    // Someone inside may refresh their grant while it is locked.
    await call(bob, 'meetings.join', { meetingId: m.id });
    await call(host, 'meetings.unlock', { meetingId: m.id });
    await call(eve, 'meetings.join', { code: m.code });
    expect(await code(eve, 'meetings.join', { code: '12345' })).toBe('VALIDATION_FAILED');
    expect(await code(eve, 'meetings.join', { code: '100000000' })).toBe('NOT_FOUND');
    await call(host, 'meetings.end', { meetingId: m.id });
  });

  it('mutes all (members may unmute themselves only when allowed), and co-hosts are moderators', async () => {
    const host = await person('Host');
    const bob = await person('Bob');
    const m = await call<Meeting>(host, 'meetings.create', {
      topic: 'mute',
      settings: { allowUnmuteSelf: false },
    });
    await call(host, 'meetings.join', { meetingId: m.id });
    await call(bob, 'meetings.join', { meetingId: m.id });
    const muted = await call<Meeting>(host, 'meetings.muteAll', { meetingId: m.id });
    expect(muted.mutedAll).toBe(true);
    expect(muted.participants.find((p) => p.userId === bob.user.userId)?.mutedByHost).toBe(true);
    expect(muted.participants.find((p) => p.userId === host.user.userId)?.mutedByHost).toBe(false);
    expect(await bob.device.nextEvent('meeting.control.v1')).toMatchObject({
      meetingId: m.id,
      action: 'mute',
    });
    expect(await code(bob, 'meetings.unmute', { meetingId: m.id, userId: bob.user.userId })).toBe(
      'FORBIDDEN',
    );
    await call(host, 'meetings.update', { meetingId: m.id, settings: { allowUnmuteSelf: true } });
    const self = await call<Meeting>(bob, 'meetings.unmute', { meetingId: m.id, userId: bob.user.userId });
    expect(self.participants.find((p) => p.userId === bob.user.userId)?.mutedByHost).toBe(false);

    const co = await call<Meeting>(host, 'meetings.setCoHost', {
      meetingId: m.id,
      userId: bob.user.userId,
      coHost: true,
    });
    expect(co.coHostIds).toEqual([bob.user.userId]);
    expect(co.participants.find((p) => p.userId === bob.user.userId)?.role).toBe('cohost');
    await call(bob, 'meetings.mute', { meetingId: m.id, userId: host.user.userId });
    expect(
      await code(bob, 'meetings.setCoHost', { meetingId: m.id, userId: bob.user.userId, coHost: false }),
    ).toBe('FORBIDDEN');
    await call(bob, 'meetings.end', { meetingId: m.id });
  });

  it('removes a participant: kicked, proxy closed, grant refused, no rejoin', async () => {
    const host = await person('Host');
    const bob = await person('Bob');
    const m = await call<Meeting>(host, 'meetings.create', { topic: 'remove' });
    await call(host, 'meetings.join', { meetingId: m.id });
    const bobJoin = await call<JoinMeetingResult>(bob, 'meetings.join', { meetingId: m.id });
    const bobProxy = await proxy(bobJoin);
    await publish(bobProxy, bobJoin);
    const closed = new Promise<void>((resolve) => bobProxy.socket.onClose(resolve));

    const after = await call<Meeting>(host, 'meetings.remove', { meetingId: m.id, userId: bob.user.userId });
    expect(after.participants.map((p) => p.userId)).toEqual([host.user.userId]);
    expect(await bob.device.nextEvent('meeting.control.v1')).toMatchObject({ action: 'removed' });
    await closed;
    await expect(ProxyClient.open(port, bobJoin.media.wsUrl)).rejects.toThrow(/401/);
    expect(await code(bob, 'meetings.join', { meetingId: m.id })).toBe('MEETING_REMOVED');
    expect(await code(host, 'meetings.remove', { meetingId: m.id, userId: host.user.userId })).toBe(
      'FORBIDDEN',
    );
    await call(host, 'meetings.end', { meetingId: m.id });
  });

  it('ends for everyone: events, closed proxies, refused grants and joins, counted in the statistics', async () => {
    const host = await person('Host');
    const bob = await person('Bob');
    const m = await call<Meeting>(host, 'meetings.create', { topic: 'end' });
    await call(host, 'meetings.join', { meetingId: m.id });
    const bobJoin = await call<JoinMeetingResult>(bob, 'meetings.join', { meetingId: m.id });
    const bobProxy = await proxy(bobJoin);
    const closed = new Promise<void>((resolve) => bobProxy.socket.onClose(resolve));
    await settle(20);
    const statsBefore = await meetingStats();
    const ended = await call<Meeting>(host, 'meetings.end', { meetingId: m.id });
    expect(ended).toMatchObject({ status: 'ended', participants: [] });
    expect(await bob.device.nextEvent('meeting.control.v1')).toMatchObject({ action: 'ended' });
    await closed;
    await expect(ProxyClient.open(port, bobJoin.media.wsUrl)).rejects.toThrow(/401/);
    expect(await code(bob, 'meetings.join', { code: m.code })).toBe('MEETING_ENDED');
    expect(await code(host, 'meetings.end', { meetingId: m.id })).toBe('MEETING_ENDED');
    const record = await call<{ participantCount: number; endedAt: number }>(host, 'meetings.record', {
      meetingId: m.id,
    });
    expect(record.participantCount).toBe(2);
    expect(record.endedAt).toBe(ended.endedAt);
    // Counted once in the usage statistics (R-A1): one more meeting, two more participants.
    const after = await meetingStats();
    expect(after.meetings).toBe(statsBefore.meetings + 1);
    expect(after.participants).toBe(statsBefore.participants + 2);
  });
});
