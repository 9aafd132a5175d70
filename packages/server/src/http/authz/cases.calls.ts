import { callOp, mustCall, type TestUser } from '../../testing/factories.ts';
import { SIGNED_IN, type CallerKind, type OpCase, type World } from './authz.types.ts';

/**
 * Calls happen in the world's direct chat: the `owner` calls, the `member` is the callee. Nobody
 * else is a party, so a stranger, a group admin and staff find no such call (404).
 */
const PARTIES: readonly CallerKind[] = ['owner', 'member'];

/** End whatever call the two parties are in (or that rings), so the next one can start. */
async function endCalls(w: World): Promise<void> {
  for (const user of [w.users.owner, w.users.member]) {
    const { call } = await mustCall(w.app, 'calls.current', {}, user.accessToken);
    if (call) await callOp(w.app, 'calls.hangup', { callId: call.id }, user.accessToken);
  }
}

/** A call from the owner to the member, ringing (the member's devices ring). */
async function ringing(w: World): Promise<string> {
  await endCalls(w);
  const started = await mustCall(
    w.app,
    'calls.start',
    { conversationId: w.direct.id, media: 'audio' },
    w.users.owner.accessToken,
  );
  return started.call.id;
}

/** A call the member answered on their world session (the device a WebSocket caller uses too). */
async function answered(w: World): Promise<string> {
  const callId = await ringing(w);
  const callee: TestUser = w.users.member;
  await mustCall(w.app, 'calls.accept', { callId }, callee.accessToken);
  return callId;
}

/** 1:1 calls (operations/calls.ts). */
export const opCases: OpCase[] = [
  {
    op: 'calls.start',
    allow: PARTIES,
    rule: 'a member of the direct chat (not blocked by the other)',
    prepare: async (w) => {
      await endCalls(w);
      return { conversationId: w.direct.id, media: 'audio' };
    },
  },
  {
    op: 'calls.accept',
    allow: ['member'],
    rule: 'the callee, while it rings',
    prepare: async (w) => ({ callId: await ringing(w) }),
  },
  {
    op: 'calls.decline',
    allow: ['member'],
    rule: 'the callee, while it rings',
    prepare: async (w) => ({ callId: await ringing(w) }),
  },
  {
    op: 'calls.cancel',
    allow: ['owner'],
    rule: 'the caller, while it rings',
    prepare: async (w) => ({ callId: await ringing(w) }),
  },
  {
    op: 'calls.hangup',
    allow: PARTIES,
    rule: 'either party of the call',
    prepare: async (w) => ({ callId: await answered(w) }),
  },
  {
    op: 'calls.signal',
    allow: PARTIES,
    rule: 'either party, from the device in the call',
    prepare: async (w) => ({ callId: await answered(w), payload: { type: 'offer', sdp: 'v=0' } }),
  },
  {
    op: 'calls.update',
    allow: PARTIES,
    rule: 'either party of the answered call',
    prepare: async (w) => ({ callId: await answered(w), media: 'video' }),
  },
  { op: 'calls.current', allow: SIGNED_IN, rule: 'any signed-in user (their own call)' },
  { op: 'calls.iceServers', allow: SIGNED_IN, rule: 'any signed-in user (their own TURN credentials)' },
];
