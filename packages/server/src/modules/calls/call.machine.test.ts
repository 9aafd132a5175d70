import type { Call } from '@zhixin/protocol';
import { describe, expect, it } from 'vitest';
import { durationOf, recordOf, transition } from './call.machine.ts';

const ringing: Call = {
  id: 'c1',
  conversationId: 'd1',
  callerId: 'alice',
  calleeId: 'bob',
  media: 'video',
  state: 'ringing',
  callerSessionId: 'a1',
  calleeSessionId: null,
  createdAt: 1000,
  answeredAt: null,
  endedAt: null,
  outcome: null,
  ringUntil: 46_000,
};

function must(call: Call, ...args: Parameters<typeof transition> extends [Call, ...infer R] ? R : never) {
  const r = transition(call, ...args);
  if (!r.ok) throw new Error(`refused: ${r.error}`);
  return r;
}

describe('the call state machine', () => {
  it('lets the callee answer on one device, then either side hang up with the talk time', () => {
    const accepted = must(ringing, { type: 'accept', userId: 'bob', sessionId: 'b2' }, 2000);
    expect(accepted.reason).toBe('accepted');
    expect(accepted.call).toMatchObject({ state: 'active', calleeSessionId: 'b2', answeredAt: 2000 });
    const ended = must(accepted.call, { type: 'hangup', userId: 'alice' }, 62_000);
    expect(ended.call).toMatchObject({ state: 'ended', outcome: 'completed', endedAt: 62_000 });
    expect(ended.reason).toBe('hungUp');
    expect(durationOf(ended.call)).toBe(60_000);
    expect(recordOf(ended.call)).toEqual({
      callId: 'c1',
      callerId: 'alice',
      media: 'video',
      outcome: 'completed',
      durationMs: 60_000,
    });
  });

  it('refuses a second answer: the first device took the call', () => {
    const accepted = must(ringing, { type: 'accept', userId: 'bob', sessionId: 'b1' }, 2000);
    expect(transition(accepted.call, { type: 'accept', userId: 'bob', sessionId: 'b2' }, 2001)).toEqual({
      ok: false,
      error: 'CALL_ENDED',
    });
  });

  it('gives each side only its own moves while ringing', () => {
    expect(transition(ringing, { type: 'accept', userId: 'alice', sessionId: 'a1' }, 2)).toEqual({
      ok: false,
      error: 'FORBIDDEN',
    });
    expect(transition(ringing, { type: 'decline', userId: 'alice' }, 2)).toMatchObject({
      error: 'FORBIDDEN',
    });
    expect(transition(ringing, { type: 'cancel', userId: 'bob' }, 2)).toMatchObject({ error: 'FORBIDDEN' });
    expect(must(ringing, { type: 'decline', userId: 'bob' }, 3).call.outcome).toBe('declined');
    expect(must(ringing, { type: 'cancel', userId: 'alice' }, 3).call.outcome).toBe('cancelled');
    expect(must(ringing, { type: 'hangup', userId: 'alice' }, 3).call.outcome).toBe('cancelled');
    expect(must(ringing, { type: 'hangup', userId: 'bob' }, 3).call.outcome).toBe('declined');
  });

  it('misses a call only once its ringing time is up', () => {
    expect(transition(ringing, { type: 'timeout' }, 45_999)).toEqual({ ok: false, error: 'CONFLICT' });
    const missed = must(ringing, { type: 'timeout' }, 46_000);
    expect(missed).toMatchObject({ reason: 'missed', call: { state: 'ended', outcome: 'missed' } });
    expect(recordOf(missed.call).durationMs).toBe(0);
  });

  it('treats outsiders as if the call did not exist and ended calls as final', () => {
    expect(transition(ringing, { type: 'hangup', userId: 'mallory' }, 2)).toEqual({
      ok: false,
      error: 'NOT_FOUND',
    });
    const ended = must(ringing, { type: 'cancel', userId: 'alice' }, 3).call;
    for (const action of [
      { type: 'accept', userId: 'bob', sessionId: 'b1' },
      { type: 'hangup', userId: 'bob' },
      { type: 'update', userId: 'bob', media: 'audio' },
      { type: 'timeout' },
    ] as const) {
      expect(transition(ended, action, 100_000)).toEqual({ ok: false, error: 'CALL_ENDED' });
    }
  });

  it('switches media only while talking', () => {
    expect(transition(ringing, { type: 'update', userId: 'alice', media: 'audio' }, 2)).toMatchObject({
      error: 'CONFLICT',
    });
    const active = must(ringing, { type: 'accept', userId: 'bob', sessionId: 'b1' }, 2).call;
    const switched = must(active, { type: 'update', userId: 'bob', media: 'audio' }, 3);
    expect(switched).toMatchObject({ reason: 'media', call: { media: 'audio', state: 'active' } });
  });
});
