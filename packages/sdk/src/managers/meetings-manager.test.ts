import type { MediaGrant } from '@zhixin/protocol';
import { describe, expect, it } from 'vitest';
import type { Call } from '../transport.ts';
import { CallsManager } from './calls-manager.ts';
import { MeetingsManager } from './meetings-manager.ts';

const grant: MediaGrant = {
  grant: 'ZXG1.abc.def',
  wsUrl: '/janus?grant=ZXG1.abc.def',
  expiresAt: 1,
  room: 7,
  feedId: 11,
  screenFeedId: 12,
  display: 'Alice',
  videoCodecs: ['vp9', 'vp8'],
};

/** Records the operations a manager calls and answers each with `reply`. */
function recorder(reply: unknown) {
  const calls: Array<[string, unknown]> = [];
  const call = (async (name: string, request: unknown) => {
    calls.push([name, request]);
    return reply;
  }) as Call;
  return { calls, call };
}

describe('the meetings manager', () => {
  it('turns a grant into the proxy WebSocket URL of the server', () => {
    const call = recorder({}).call;
    expect(new MeetingsManager(call, 'https://im.example.com').mediaUrl(grant)).toBe(
      'wss://im.example.com/janus?grant=ZXG1.abc.def',
    );
    expect(new MeetingsManager(call, 'http://127.0.0.1:8080/').mediaUrl(grant)).toBe(
      'ws://127.0.0.1:8080/janus?grant=ZXG1.abc.def',
    );
  });

  it('calls the meeting operations with their bodies', async () => {
    const { calls, call } = recorder({ invitedUserIds: ['u2'] });
    const meetings = new MeetingsManager(call, 'http://localhost');
    expect(await meetings.invite('m1', { userIds: ['u2'] })).toEqual(['u2']);
    await meetings.join({ code: '123456789' });
    await meetings.setCoHost('m1', 'u2', true);
    expect(calls).toEqual([
      ['meetings.invite', { meetingId: 'm1', userIds: ['u2'] }],
      ['meetings.join', { code: '123456789' }],
      ['meetings.setCoHost', { meetingId: 'm1', userId: 'u2', coHost: true }],
    ]);
  });
});

describe('the calls manager', () => {
  it('calls the call operations and unwraps the current call', async () => {
    const { calls, call } = recorder({ call: null });
    const manager = new CallsManager(call);
    expect(await manager.current()).toBeNull();
    await manager.signal('c1', { type: 'endOfCandidates' });
    expect(calls).toEqual([
      ['calls.current', {}],
      ['calls.signal', { callId: 'c1', payload: { type: 'endOfCandidates' } }],
    ]);
  });
});
