import type {
  Call,
  CallChangeReason,
  CallMedia,
  CallSignalBody,
  CallWithIce,
  IceServers,
  SystemContent,
} from '@zhixin/protocol';
import { AppError } from '../../errors.ts';
import type { EventSink } from '../../platform/events.ts';
import { newId } from '../../platform/ids.ts';
import type { Logger } from '../../platform/logger.ts';
import type { Caller } from '../deps.ts';
import { recordOf, transition, type CallAction } from './call.machine.ts';
import type { CallsRepo } from './calls.repo.ts';

/** What the calls service needs from other modules. */
export interface CallsDeps {
  repo: CallsRepo;
  events: EventSink;
  log: Logger;
  /** The members of a direct conversation (NOT_FOUND / NOT_MEMBER / BAD_REQUEST otherwise). */
  directPeers(conversationId: string, userId: string): Promise<{ peerId: string }>;
  /** Whether `ownerId` blocked `otherId` (the friends module). */
  isBlocked(ownerId: string, otherId: string): Promise<boolean>;
  /** Post the call record into the chat (the messages module's system-message path). */
  postSystem(conversationId: string, actorId: string, content: SystemContent): Promise<void>;
  iceServers(userId: string): IceServers;
  ringMs: number;
  /**
   * Whether this node runs the periodic sweep (the cluster's leader; default: always). The node
   * that started a call ends it when its ring runs out; the sweep catches the calls of nodes that
   * died meanwhile, and one node doing that is enough.
   */
  sweepsHere?: () => boolean;
  /** How often the sweep runs (default 5 s). */
  sweepMs?: number;
  now?: () => number;
}

export interface CallsService {
  start(caller: Caller, conversationId: string, media: CallMedia): Promise<CallWithIce>;
  accept(caller: Caller, callId: string): Promise<CallWithIce>;
  decline(caller: Caller, callId: string): Promise<Call>;
  cancel(caller: Caller, callId: string): Promise<Call>;
  hangup(caller: Caller, callId: string): Promise<Call>;
  update(caller: Caller, callId: string, media: CallMedia): Promise<Call>;
  signal(caller: Caller, body: CallSignalBody): Promise<void>;
  current(caller: Caller): Promise<Call | null>;
  iceServers(caller: Caller): IceServers;
  /** End every ringing call whose time is up (missed); the sweep job and the ring timers call it. */
  sweep(): Promise<number>;
  close(): void;
}

const SWEEP_MS = 5000;

/** 1:1 calls: ring, answer (first device wins), relay signalling to the peer device, record. */
export function createCallsService(d: CallsDeps): CallsService {
  const now = d.now ?? Date.now;
  const timers = new Set<NodeJS.Timeout>();

  const load = async (callId: string): Promise<Call> => {
    const call = await d.repo.get(callId);
    if (!call) throw AppError.notFound('call');
    return call;
  };

  /** Both users' devices hear about a change; the acting device has it in its response. */
  const tell = (call: Call, reason: CallChangeReason, byUserId: string, exceptSessionId?: string) => {
    const body = { call, reason, byUserId };
    const opts = exceptSessionId === undefined ? {} : { exceptSessionId };
    if (reason === 'accepted') {
      // The caller's devices learn who answered; the callee's other devices stop ringing.
      d.events.emit([call.callerId], 'call.state.v1', body);
      d.events.emit([call.calleeId], 'call.state.v1', { ...body, reason: 'answeredElsewhere' }, opts);
      return;
    }
    d.events.emit([call.callerId, call.calleeId], 'call.state.v1', body, opts);
  };

  const postRecord = async (call: Call) => {
    try {
      await d.postSystem(call.conversationId, call.callerId, {
        kind: 'system',
        event: 'call',
        actorId: call.callerId,
        call: recordOf(call),
      });
    } catch (err) {
      d.log.error({ err, callId: call.id }, 'could not post the call record');
    }
  };

  /** Apply an action with compare-and-set; a lost race is CALL_ENDED (someone else moved it first). */
  const act = async (callId: string, action: CallAction, byUserId: string, exceptSessionId?: string) => {
    const before = await load(callId);
    const result = transition(before, action, now());
    if (!result.ok) {
      if (result.error === 'NOT_FOUND') throw AppError.notFound('call');
      throw new AppError(result.error);
    }
    if (!(await d.repo.apply(before, result.call))) throw new AppError('CALL_ENDED');
    // The record is in the chat by the time the devices hear the call ended.
    if (result.call.state === 'ended') await postRecord(result.call);
    tell(result.call, result.reason, byUserId, exceptSessionId);
    return result.call;
  };

  const ringTimer = (call: Call) => {
    const timer = setTimeout(
      () => {
        timers.delete(timer);
        void sweep();
      },
      Math.max(0, call.ringUntil - now()) + 20,
    );
    timer.unref();
    timers.add(timer);
  };

  const sweep = async (): Promise<number> => {
    let ended = 0;
    for (const call of await d.repo.overdue(now())) {
      const result = transition(call, { type: 'timeout' }, now());
      if (!result.ok || !(await d.repo.apply(call, result.call))) continue;
      ended++;
      await postRecord(result.call);
      tell(result.call, 'missed', call.callerId);
    }
    return ended;
  };
  const sweeper = setInterval(() => {
    if (d.sweepsHere && !d.sweepsHere()) return;
    sweep().catch((err: unknown) => d.log.error({ err }, 'call sweep failed'));
  }, d.sweepMs ?? SWEEP_MS);
  sweeper.unref();

  return {
    async start(caller, conversationId, media) {
      const { peerId } = await d.directPeers(conversationId, caller.userId);
      if (await d.isBlocked(peerId, caller.userId)) throw new AppError('BLOCKED');
      const at = now();
      const call: Call = {
        id: newId(),
        conversationId,
        callerId: caller.userId,
        calleeId: peerId,
        media,
        state: 'ringing',
        callerSessionId: caller.sessionId,
        calleeSessionId: null,
        createdAt: at,
        answeredAt: null,
        endedAt: null,
        outcome: null,
        ringUntil: at + d.ringMs,
      };
      const busy: Call = { ...call, state: 'ended', outcome: 'busy', endedAt: at };
      const outcome = await d.repo.start(call, busy);
      if (outcome === 'callerBusy') throw new AppError('CALL_IN_PROGRESS');
      const ice = d.iceServers(caller.userId).iceServers;
      if (outcome === 'calleeBusy') {
        await postRecord(busy);
        d.events.emit([caller.userId], 'call.state.v1', { call: busy, reason: 'busy', byUserId: peerId });
        return { call: busy, iceServers: ice };
      }
      d.events.emit([peerId], 'call.invite.v1', { call });
      d.events.emit([caller.userId], 'call.invite.v1', { call }, { exceptSessionId: caller.sessionId });
      ringTimer(call);
      return { call, iceServers: ice };
    },
    async accept(caller, callId) {
      const call = await act(
        callId,
        { type: 'accept', userId: caller.userId, sessionId: caller.sessionId },
        caller.userId,
        caller.sessionId,
      );
      return { call, iceServers: d.iceServers(caller.userId).iceServers };
    },
    decline: (caller, callId) =>
      act(callId, { type: 'decline', userId: caller.userId }, caller.userId, caller.sessionId),
    cancel: (caller, callId) =>
      act(callId, { type: 'cancel', userId: caller.userId }, caller.userId, caller.sessionId),
    hangup: (caller, callId) =>
      act(callId, { type: 'hangup', userId: caller.userId }, caller.userId, caller.sessionId),
    update: (caller, callId, media) =>
      act(callId, { type: 'update', userId: caller.userId, media }, caller.userId, caller.sessionId),
    async signal(caller, body) {
      const call = await load(body.callId);
      const isCaller = call.callerId === caller.userId;
      if (!isCaller && call.calleeId !== caller.userId) throw AppError.notFound('call');
      if (call.state !== 'active') throw new AppError('CALL_ENDED');
      const mine = isCaller ? call.callerSessionId : call.calleeSessionId;
      if (mine !== caller.sessionId)
        throw new AppError('FORBIDDEN', { reason: 'not the device in this call' });
      const peerId = isCaller ? call.calleeId : call.callerId;
      const peerSession = isCaller ? call.calleeSessionId : call.callerSessionId;
      if (peerSession === null) throw new AppError('CALL_ENDED');
      d.events.emit(
        [peerId],
        'call.signal.v1',
        {
          callId: call.id,
          fromUserId: caller.userId,
          fromSessionId: caller.sessionId,
          payload: body.payload,
        },
        { onlySessionId: peerSession },
      );
    },
    current: (caller) => d.repo.current(caller.userId),
    iceServers: (caller) => d.iceServers(caller.userId),
    sweep,
    close() {
      clearInterval(sweeper);
      for (const t of timers) clearTimeout(t);
      timers.clear();
    },
  };
}
