import type { EventBody, EventName } from '@zhixin/protocol';

export interface EmitOptions {
  /** Do not deliver to this session (the device that caused the event already has the result). */
  exceptSessionId?: string;
  /** Deliver only to this session of the recipients (the peer device of a call). */
  onlySessionId?: string;
  /**
   * The conversation's last seq as this event shows it (a message created): the other processes
   * that deliver the event pass it to their SeqHints listener, so that their next send in the
   * conversation expects the right seq (claimed-send.ts). A hint: nothing relies on it.
   */
  seqHint?: SeqHint;
}

export interface SeqHint {
  conversationId: string;
  seq: number;
}

/** Where a process hears of seqs that other processes' events showed (see EmitOptions.seqHint). */
export interface SeqHints {
  /** Set the one listener (a later call replaces it). */
  onSeqHint(listener: (conversationId: string, seq: number) => void): void;
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
