import type { Call, CallChangeReason, CallMedia, CallRecord } from '@zhixin/protocol';

/** What someone (or the clock) does to a call. */
export type CallAction =
  | { type: 'accept'; userId: string; sessionId: string }
  | { type: 'decline'; userId: string }
  | { type: 'cancel'; userId: string }
  | { type: 'hangup'; userId: string }
  | { type: 'update'; userId: string; media: CallMedia }
  | { type: 'timeout' };

export type CallRefusal = 'NOT_FOUND' | 'FORBIDDEN' | 'CALL_ENDED' | 'CONFLICT';

export type Transition =
  { ok: true; call: Call; reason: CallChangeReason } | { ok: false; error: CallRefusal };

const refuse = (error: CallRefusal): Transition => ({ ok: false, error });

function end(call: Call, outcome: NonNullable<Call['outcome']>, now: number): Call {
  return { ...call, state: 'ended', outcome, endedAt: now };
}

/**
 * The 1:1 call state machine, pure: ringing → active → ended, or ringing → ended. Only the caller
 * cancels, only the callee accepts or declines; hang-up while ringing is the caller's cancel or the
 * callee's decline; anything on an ended call (or accepting an answered one) is CALL_ENDED.
 */
export function transition(call: Call, action: CallAction, now: number): Transition {
  if (action.type !== 'timeout' && action.userId !== call.callerId && action.userId !== call.calleeId) {
    return refuse('NOT_FOUND');
  }
  if (call.state === 'ended') return refuse('CALL_ENDED');
  const isCaller = action.type !== 'timeout' && action.userId === call.callerId;
  switch (action.type) {
    case 'accept':
      if (isCaller) return refuse('FORBIDDEN');
      if (call.state !== 'ringing') return refuse('CALL_ENDED');
      return {
        ok: true,
        call: { ...call, state: 'active', calleeSessionId: action.sessionId, answeredAt: now },
        reason: 'accepted',
      };
    case 'decline':
      if (isCaller) return refuse('FORBIDDEN');
      if (call.state !== 'ringing') return refuse('CALL_ENDED');
      return { ok: true, call: end(call, 'declined', now), reason: 'declined' };
    case 'cancel':
      if (!isCaller) return refuse('FORBIDDEN');
      if (call.state !== 'ringing') return refuse('CALL_ENDED');
      return { ok: true, call: end(call, 'cancelled', now), reason: 'cancelled' };
    case 'hangup':
      if (call.state === 'ringing') {
        return isCaller
          ? { ok: true, call: end(call, 'cancelled', now), reason: 'cancelled' }
          : { ok: true, call: end(call, 'declined', now), reason: 'declined' };
      }
      return { ok: true, call: end(call, 'completed', now), reason: 'hungUp' };
    case 'update':
      if (call.state !== 'active') return refuse('CONFLICT');
      return { ok: true, call: { ...call, media: action.media }, reason: 'media' };
    case 'timeout':
      if (call.state !== 'ringing' || now < call.ringUntil) return refuse('CONFLICT');
      return { ok: true, call: end(call, 'missed', now), reason: 'missed' };
  }
}

/** Talk time: from answer to hang-up (0 when never answered). */
export function durationOf(call: Call): number {
  return call.answeredAt !== null && call.endedAt !== null ? Math.max(0, call.endedAt - call.answeredAt) : 0;
}

/** What the call record message says about an ended call. */
export function recordOf(call: Call): CallRecord {
  return {
    callId: call.id,
    callerId: call.callerId,
    media: call.media,
    outcome: call.outcome ?? 'missed',
    durationMs: call.outcome === 'completed' ? durationOf(call) : 0,
  };
}
