import type { EventBody, EventName, Message } from '@zhixin/protocol';
import type { EmitOptions, EventSink } from '../../platform/events.ts';

/**
 * An EventSink that passes everything on and also notices new messages addressed to one user:
 * the operations account has no devices, so this is how it "receives" what users write to it.
 * The messages module emits into it; the operations module says whom to watch.
 */
export class MessageTap implements EventSink {
  private watched: string | null = null;
  private handler: ((message: Message) => void) | null = null;

  constructor(private readonly inner: EventSink) {}

  watch(userId: string, handler: (message: Message) => void): void {
    this.watched = userId;
    this.handler = handler;
  }

  emit<E extends EventName>(
    recipients: readonly string[],
    event: E,
    body: EventBody<E>,
    opts?: EmitOptions,
  ): void {
    this.inner.emit(recipients, event, body, opts);
    if (event !== 'message.created.v1' || this.watched === null || !this.handler) return;
    if (recipients.includes(this.watched)) this.handler(body as Message);
  }

  /** Events for everyone are the operations account's own channel posts: nothing to notice. */
  emitToAll<E extends EventName>(
    event: E,
    body: EventBody<E>,
    opts?: Pick<EmitOptions, 'exceptSessionId'>,
  ): void {
    this.inner.emitToAll(event, body, opts);
  }
}
