import type { EventBody, EventName } from '@zhixin/protocol';
import type { EmitOptions, EventSink } from '../../platform/events.ts';
import type { Membership } from './conversations.types.ts';

/**
 * Push an event about a conversation to everyone in it: a list of members for chats and groups,
 * every connected device for a channel (one frame per node, no list of its readers).
 */
export function emitToConversation<E extends EventName>(
  events: EventSink,
  membership: Membership,
  event: E,
  body: EventBody<E>,
  opts: Pick<EmitOptions, 'exceptSessionId' | 'seqHint'> = {},
): void {
  // To everyone, a seq hint goes nowhere: a channel's sends are the operations account's alone.
  if (membership.kind === 'channel') events.emitToAll(event, body, opts);
  else events.emit(membership.memberIds, event, body, opts);
}
