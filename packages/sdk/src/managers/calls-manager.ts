import type {
  Call as CallInfo,
  CallMedia,
  CallOutcome,
  CallWithIce,
  IceServer,
  IceServers,
  SignalPayload,
} from '@zhixin/protocol';
import type { Call } from '../transport.ts';

export type { CallInfo, CallMedia, CallOutcome, CallWithIce, IceServer, IceServers, SignalPayload };

/**
 * 1:1 voice and video calls: signalling only (the WebRTC media lives in the app). A call rings on
 * every device of the callee (`call.invite`); the first device to `accept` takes it and the others
 * get `call.state` with reason `answeredElsewhere`. SDP and ICE candidates travel with `signal` and
 * arrive on the peer device only as `call.signal`. When the call ends the server posts a call record
 * (a `system` message with `event: 'call'`) into the chat.
 *
 * @example
 * const { call, iceServers } = await client.calls.start(conversationId, 'video');
 * client.on('call.state', ({ call: c, reason }) => { if (c.id === call.id && reason === 'accepted') void offer(); });
 * client.on('call.signal', ({ callId, payload }) => { if (callId === call.id) void apply(payload); });
 */
export class CallsManager {
  constructor(private readonly call: Call) {}

  /** Ring the other member of a direct chat. `CALL_IN_PROGRESS` when I am in a call already; a busy callee answers a call ended with outcome `busy`. */
  start(conversationId: string, media: CallMedia): Promise<CallWithIce> {
    return this.call('calls.start', { conversationId, media });
  }

  /** Answer on this device; `CALL_ENDED` when another device answered first or the caller gave up. */
  accept(callId: string): Promise<CallWithIce> {
    return this.call('calls.accept', { callId });
  }

  /**
   * Refuse a ringing call (callee); the caller gets `call.state` with the outcome `declined`.
   * @example
   * await client.calls.decline(call.id);
   */
  decline(callId: string): Promise<CallInfo> {
    return this.call('calls.decline', { callId });
  }

  /**
   * Stop ringing a call I placed (caller).
   * @example
   * await client.calls.cancel(call.id);
   */
  cancel(callId: string): Promise<CallInfo> {
    return this.call('calls.cancel', { callId });
  }

  /**
   * End an answered call (either side); the chat gets the call record with its duration.
   * @example
   * const ended = await client.calls.hangup(call.id);
   */
  hangup(callId: string): Promise<CallInfo> {
    return this.call('calls.hangup', { callId });
  }

  /** Send an offer/answer or an ICE candidate to the other device of the call. */
  async signal(callId: string, payload: SignalPayload): Promise<void> {
    await this.call('calls.signal', { callId, payload });
  }

  /** Switch between voice and video; the peer gets `call.state` with reason `media`. */
  update(callId: string, media: CallMedia): Promise<CallInfo> {
    return this.call('calls.update', { callId, media });
  }

  /** The call I am in or that rings me now (after a reconnect), or null. */
  async current(): Promise<CallInfo | null> {
    return (await this.call('calls.current', {})).call;
  }

  /** STUN/TURN servers with fresh time-limited TURN credentials. */
  iceServers(): Promise<IceServers> {
    return this.call('calls.iceServers', {});
  }
}
