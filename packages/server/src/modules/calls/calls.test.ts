import { createHmac } from 'node:crypto';
import type { Call, CallStateEvent, Message } from '@zhixin/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../app.ts';
import { buildTestApp, testDialects } from '../../testing/app.ts';
import { connectDevice, settle, type TestDevice } from '../../testing/devices.ts';
import { errorOf, loginUser, mustCall, registerUser, type TestUser } from '../../testing/factories.ts';
import { befriend } from '../../testing/friends.ts';

interface Person {
  user: TestUser;
  d1: TestDevice;
  d2: TestDevice;
}

describe.each(testDialects())('1:1 calls (%s)', (dialect) => {
  let app: App;
  let port: number;
  const devices: TestDevice[] = [];

  const person = async (nickname: string): Promise<Person> => {
    const user = await registerUser(app, { nickname });
    const second = await loginUser(app, user.phone, user.password);
    const d1 = await connectDevice(port, user);
    const d2 = await connectDevice(port, second);
    devices.push(d1, d2);
    return { user, d1, d2 };
  };

  /** A direct chat between two people who are friends. */
  const chat = async (a: Person, b: Person): Promise<string> => {
    await befriend(app, a.user, b.user);
    return (await mustCall(app, 'conversations.openDirect', { userId: b.user.userId }, a.user.accessToken))
      .id;
  };

  const ok = async (device: TestDevice, op: string, body: unknown) => {
    const res = await device.request(op, body);
    if (res.ok !== true) throw new Error(`${op} failed: ${JSON.stringify(res.error)}`);
    return res.body;
  };
  const refused = async (device: TestDevice, op: string, body: unknown) => {
    const res = await device.request(op, body);
    expect(res.ok).toBe(false);
    return (res.error as { code: string }).code;
  };

  const lastMessage = async (person: Person, conversationId: string): Promise<Message> => {
    const { messages } = await mustCall(
      app,
      'messages.history',
      { conversationId, limit: 1 },
      person.user.accessToken,
    );
    return messages[0]!;
  };

  beforeAll(async () => {
    app = await buildTestApp({
      dialect,
      config: {
        calls: { ringSeconds: 1 },
        media: {
          stun: ['stun:127.0.0.1:3478'],
          turn: { urls: ['turn:127.0.0.1:3478?transport=udp'], secret: 'turn-secret', ttlSeconds: 600 },
        },
      },
    });
    port = await app.listen();
  });

  afterAll(async () => {
    for (const d of devices) d.ws.close();
    await app.close();
  });

  it('rings every device of the callee; the first to answer takes it and the others stop ringing', async () => {
    const alice = await person('Alice');
    const bob = await person('Bob');
    const conversationId = await chat(alice, bob);

    const started = (await ok(alice.d1, 'calls.start', { conversationId, media: 'video' })) as {
      call: Call;
      iceServers: unknown[];
    };
    expect(started.call).toMatchObject({
      state: 'ringing',
      callerId: alice.user.userId,
      calleeId: bob.user.userId,
    });
    const callId = started.call.id;
    for (const d of [bob.d1, bob.d2, alice.d2]) {
      expect(await d.nextEvent('call.invite.v1')).toMatchObject({ call: { id: callId } });
    }

    const answered = (await ok(bob.d2, 'calls.accept', { callId })) as { call: Call };
    expect(answered.call).toMatchObject({ state: 'active', calleeSessionId: bob.d2.user.sessionId });
    expect(await bob.d1.nextEvent('call.state.v1')).toMatchObject({ reason: 'answeredElsewhere' });
    expect(await alice.d1.nextEvent('call.state.v1')).toMatchObject({ reason: 'accepted' });
    expect(await refused(bob.d1, 'calls.accept', { callId })).toBe('CALL_ENDED');

    await settle(30);
    const hung = (await ok(bob.d2, 'calls.hangup', { callId })) as Call;
    expect(hung).toMatchObject({ state: 'ended', outcome: 'completed' });
    expect(await alice.d1.nextEvent('call.state.v1')).toMatchObject({ reason: 'hungUp' });

    const record = await lastMessage(alice, conversationId);
    expect(record.senderId).toBe(alice.user.userId);
    expect(record.content).toMatchObject({
      kind: 'system',
      event: 'call',
      call: { callId, callerId: alice.user.userId, media: 'video', outcome: 'completed' },
    });
    const duration = (record.content as { call: { durationMs: number } }).call.durationMs;
    expect(duration).toBeGreaterThanOrEqual(30);
    expect(duration).toBe(hung.endedAt! - hung.answeredAt!);
  });

  it('relays signalling only between the two devices of the call', async () => {
    const alice = await person('Alice');
    const bob = await person('Bob');
    const eve = await person('Eve');
    const conversationId = await chat(alice, bob);
    const { call } = (await ok(alice.d1, 'calls.start', { conversationId, media: 'audio' })) as {
      call: Call;
    };
    const offer = { type: 'offer', sdp: 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n' };

    // Before an answer there is no peer device.
    expect(await refused(alice.d1, 'calls.signal', { callId: call.id, payload: offer })).toBe('CALL_ENDED');
    await ok(bob.d1, 'calls.accept', { callId: call.id });

    await ok(alice.d1, 'calls.signal', { callId: call.id, payload: offer });
    expect(await bob.d1.nextEvent('call.signal.v1')).toEqual({
      callId: call.id,
      fromUserId: alice.user.userId,
      fromSessionId: alice.user.sessionId,
      payload: offer,
    });
    const candidate = {
      type: 'candidate',
      candidate: 'candidate:1 1 udp 1 127.0.0.2 5000 typ host',
      sdpMid: '0',
    };
    await ok(bob.d1, 'calls.signal', { callId: call.id, payload: candidate });
    expect(await alice.d1.nextEvent('call.signal.v1')).toMatchObject({ payload: candidate });

    // The other devices of both users, and outsiders, neither receive nor may send.
    expect(await refused(alice.d2, 'calls.signal', { callId: call.id, payload: offer })).toBe('FORBIDDEN');
    expect(await refused(bob.d2, 'calls.signal', { callId: call.id, payload: offer })).toBe('FORBIDDEN');
    expect(await refused(eve.d1, 'calls.signal', { callId: call.id, payload: offer })).toBe('NOT_FOUND');
    expect(await refused(eve.d1, 'calls.accept', { callId: call.id })).toBe('NOT_FOUND');
    expect(await refused(eve.d1, 'calls.hangup', { callId: call.id })).toBe('NOT_FOUND');
    await settle(80);
    for (const d of [alice.d2, bob.d2, eve.d1, eve.d2]) {
      expect(d.ws.frames.some((f) => f.type === 'event' && f.event === 'call.signal.v1')).toBe(false);
    }
    // A malformed payload changes nothing.
    expect(await refused(alice.d1, 'calls.signal', { callId: call.id, payload: { type: 'bogus' } })).toBe(
      'VALIDATION_FAILED',
    );

    const switched = (await ok(bob.d1, 'calls.update', { callId: call.id, media: 'video' })) as Call;
    expect(switched.media).toBe('video');
    expect(await alice.d1.nextEvent('call.state.v1')).toMatchObject({
      reason: 'media',
      call: { media: 'video' },
    });
    await ok(alice.d1, 'calls.hangup', { callId: call.id });
  });

  it('answers busy when the callee is in a call, and CALL_IN_PROGRESS to a caller already in one', async () => {
    const alice = await person('Alice');
    const bob = await person('Bob');
    const carol = await person('Carol');
    const ab = await chat(alice, bob);
    const cb = await chat(carol, bob);
    const ca = await chat(carol, alice);
    const { call } = (await ok(alice.d1, 'calls.start', { conversationId: ab, media: 'audio' })) as {
      call: Call;
    };
    await ok(bob.d1, 'calls.accept', { callId: call.id });

    const busy = (await ok(carol.d1, 'calls.start', { conversationId: cb, media: 'video' })) as {
      call: Call;
    };
    expect(busy.call).toMatchObject({ state: 'ended', outcome: 'busy' });
    const record = await lastMessage(bob, cb);
    expect(record.content).toMatchObject({ event: 'call', call: { outcome: 'busy', durationMs: 0 } });
    await settle(50);
    expect(
      bob.d1.ws.frames.some(
        (f) => f.event === 'call.invite.v1' && (f.body as { call: Call }).call.id === busy.call.id,
      ),
    ).toBe(false);

    expect(await refused(alice.d2, 'calls.start', { conversationId: ca, media: 'audio' })).toBe(
      'CALL_IN_PROGRESS',
    );
    expect(await refused(alice.d1, 'calls.start', { conversationId: ab, media: 'audio' })).toBe(
      'CALL_IN_PROGRESS',
    );
    expect((await ok(bob.d2, 'calls.current', {})) as { call: Call }).toMatchObject({
      call: { id: call.id },
    });

    await ok(bob.d1, 'calls.hangup', { callId: call.id });
    // Lines are free again.
    const again = (await ok(carol.d1, 'calls.start', { conversationId: cb, media: 'audio' })) as {
      call: Call;
    };
    expect(again.call.state).toBe('ringing');
    await ok(carol.d1, 'calls.cancel', { callId: again.call.id });
    expect(await bob.d1.nextEvent('call.state.v1')).toMatchObject({ reason: 'cancelled' });
    expect((await lastMessage(carol, cb)).content).toMatchObject({ call: { outcome: 'cancelled' } });
  });

  it('ends a call nobody answers as missed, and a refused one as declined', async () => {
    const alice = await person('Alice');
    const bob = await person('Bob');
    const conversationId = await chat(alice, bob);
    const { call } = (await ok(alice.d1, 'calls.start', { conversationId, media: 'audio' })) as {
      call: Call;
    };
    const missed = (await alice.d1.nextEvent('call.state.v1', 4000)) as CallStateEvent;
    expect(missed).toMatchObject({ reason: 'missed', call: { id: call.id, outcome: 'missed' } });
    expect(await bob.d1.nextEvent('call.state.v1', 1000)).toMatchObject({ reason: 'missed' });
    expect((await lastMessage(bob, conversationId)).content).toMatchObject({ call: { outcome: 'missed' } });
    expect(await refused(bob.d1, 'calls.accept', { callId: call.id })).toBe('CALL_ENDED');

    const second = (await ok(alice.d1, 'calls.start', { conversationId, media: 'video' })) as { call: Call };
    expect(await refused(alice.d1, 'calls.decline', { callId: second.call.id })).toBe('FORBIDDEN');
    await ok(bob.d2, 'calls.decline', { callId: second.call.id });
    expect(await alice.d1.nextEvent('call.state.v1')).toMatchObject({ reason: 'declined' });
    expect(await bob.d1.nextEvent('call.state.v1')).toMatchObject({ reason: 'declined' });
    expect((await lastMessage(alice, conversationId)).content).toMatchObject({
      call: { outcome: 'declined' },
    });
  });

  it('refuses blocked callers, group chats and other people’s chats, changing nothing', async () => {
    const alice = await person('Alice');
    const bob = await person('Bob');
    const eve = await person('Eve');
    const conversationId = await chat(alice, bob);
    await mustCall(app, 'friends.block', { userId: alice.user.userId }, bob.user.accessToken);
    expect(await refused(alice.d1, 'calls.start', { conversationId, media: 'audio' })).toBe('BLOCKED');
    expect(await refused(eve.d1, 'calls.start', { conversationId, media: 'audio' })).toBe('NOT_MEMBER');
    const group = await mustCall(
      app,
      'groups.create',
      { title: 'team', memberIds: [bob.user.userId, eve.user.userId] },
      alice.user.accessToken,
    );
    expect(await refused(alice.d1, 'calls.start', { conversationId: group.id, media: 'audio' })).toBe(
      'BAD_REQUEST',
    );
    expect(await ok(alice.d1, 'calls.current', {})).toEqual({ call: null });
    await settle(50);
    expect(bob.d1.ws.frames.some((f) => f.event === 'call.invite.v1')).toBe(false);
  });

  it('hands out STUN and TURN servers with coturn REST credentials', async () => {
    const alice = await person('Alice');
    const before = Date.now();
    const ice = await mustCall(app, 'calls.iceServers', {}, alice.user.accessToken);
    expect(ice.iceServers[0]).toEqual({ urls: ['stun:127.0.0.1:3478'] });
    const turn = ice.iceServers[1]!;
    const [expiry, userId] = turn.username!.split(':');
    expect(userId).toBe(alice.user.userId);
    expect(Number(expiry) * 1000).toBeGreaterThanOrEqual(before + 599_000);
    expect(turn.credential).toBe(createHmac('sha1', 'turn-secret').update(turn.username!).digest('base64'));
    const res = await app.http.inject({ method: 'GET', url: '/api/v1/calls/ice-servers' });
    expect(errorOf({ status: res.statusCode, body: res.json() }).code).toBe('UNAUTHENTICATED');
  });
});
