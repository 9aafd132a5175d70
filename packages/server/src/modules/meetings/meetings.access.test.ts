import type { Meeting } from '@zhixin/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../app.ts';
import { buildTestApp } from '../../testing/app.ts';
import { callOp, errorOf, mustCall, registerUser, type TestUser } from '../../testing/factories.ts';
import { InMemoryJanusPool } from './meetings.testing.ts';

/**
 * Who may touch a meeting, without a media server (the in-memory pool): a meeting id alone gives
 * nothing away. Those it does not concern (not host, co-host, invitee or participant) get NOT_FOUND
 * from every operation, as from meetings.get; those it concerns but who lack the right get FORBIDDEN.
 */
describe('meetings: who may do what', () => {
  let app: App;
  let host: TestUser;
  let inside: TestUser;
  let invitee: TestUser;
  let outsider: TestUser;
  let meeting: Meeting;

  beforeAll(async () => {
    app = await buildTestApp({ janusPool: new InMemoryJanusPool() });
    [host, inside, invitee, outsider] = await Promise.all([
      registerUser(app, { nickname: '主持人' }),
      registerUser(app, { nickname: '参会者' }),
      registerUser(app, { nickname: '受邀者' }),
      registerUser(app, { nickname: '局外人' }),
    ]);
    meeting = await mustCall(app, 'meetings.create', { topic: '权限' }, host.accessToken);
    await mustCall(
      app,
      'meetings.invite',
      { meetingId: meeting.id, userIds: [invitee.userId] },
      host.accessToken,
    );
    await mustCall(app, 'meetings.join', { meetingId: meeting.id }, host.accessToken);
    await mustCall(app, 'meetings.join', { meetingId: meeting.id }, inside.accessToken);
  });
  afterAll(() => app.close());

  const participants = async () =>
    (await mustCall(app, 'meetings.get', { meetingId: meeting.id }, host.accessToken)).participants.map(
      (p) => p.userId,
    );

  // Regression: leave answered ok to anyone with the id, and invite / unmuting another answered
  // FORBIDDEN (so the meeting existed) where meetings.get says NOT_FOUND.
  it('answers NOT_FOUND to someone the meeting does not concern, and changes nothing', async () => {
    const before = await participants();
    const attempts: Array<[Parameters<typeof callOp>[1], Record<string, unknown>]> = [
      ['meetings.get', { meetingId: meeting.id }],
      ['meetings.leave', { meetingId: meeting.id }],
      ['meetings.invite', { meetingId: meeting.id, userIds: [outsider.userId] }],
      ['meetings.unmute', { meetingId: meeting.id, userId: inside.userId }],
      ['meetings.mute', { meetingId: meeting.id, userId: inside.userId }],
    ];
    for (const [op, body] of attempts) {
      expect(errorOf(await callOp(app, op, body, outsider.accessToken)), op).toEqual({
        status: 404,
        code: 'NOT_FOUND',
      });
    }
    expect(await participants()).toEqual(before);
  });

  it('answers FORBIDDEN to an invitee not yet inside who invites, and to a participant unmuting another', async () => {
    expect(
      errorOf(
        await callOp(
          app,
          'meetings.invite',
          { meetingId: meeting.id, userIds: [outsider.userId] },
          invitee.accessToken,
        ),
      ),
    ).toEqual({ status: 403, code: 'FORBIDDEN' });
    await mustCall(app, 'meetings.mute', { meetingId: meeting.id, userId: inside.userId }, host.accessToken);
    expect(
      errorOf(
        await callOp(
          app,
          'meetings.unmute',
          { meetingId: meeting.id, userId: host.userId },
          inside.accessToken,
        ),
      ),
    ).toEqual({ status: 403, code: 'FORBIDDEN' });
    // Themself, while the host allows it: yes.
    const unmuted = await mustCall(
      app,
      'meetings.unmute',
      { meetingId: meeting.id, userId: inside.userId },
      inside.accessToken,
    );
    expect(unmuted.participants.find((p) => p.userId === inside.userId)?.mutedByHost).toBe(false);
  });

  it('lets an invitee leave (nothing to leave) and a participant leave for real', async () => {
    expect((await callOp(app, 'meetings.leave', { meetingId: meeting.id }, invitee.accessToken)).status).toBe(
      200,
    );
    await mustCall(app, 'meetings.leave', { meetingId: meeting.id }, inside.accessToken);
    expect(await participants()).toEqual([host.userId]);
  });
});
