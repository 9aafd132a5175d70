import type { EventBody, EventName } from '@zhixin/protocol';

export interface EmitOptions {
  /** Do not deliver to this session (the device that caused the event already has the result). */
  exceptSessionId?: string;
  /** Deliver only to this session of the recipients (the peer device of a call). */
  onlySessionId?: string;
}

/**
 * How modules push events to users' devices without knowing where they are connected.
 * The gateway implements it: it routes to every node holding a recipient, one publish per node.
 */
export interface EventSink {
  emit<E extends EventName>(
    recipients: readonly string[],
    event: E,
    body: EventBody<E>,
    opts?: EmitOptions,
  ): void;
  /**
   * Deliver to every connected device of every user, on every node, without a recipient list: one
   * frame per node however many users it holds (the posts of a channel every user follows).
   */
  emitToAll<E extends EventName>(
    event: E,
    body: EventBody<E>,
    opts?: Pick<EmitOptions, 'exceptSessionId'>,
  ): void;
}
