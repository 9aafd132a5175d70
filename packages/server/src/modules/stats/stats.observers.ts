import type { EventBody, EventName, Message } from '@zhixin/protocol';
import type { EmitOptions, EventSink } from '../../platform/events.ts';
import type { UsersService } from '../users/index.ts';
import type { StatsRecorder } from './stats.recorder.ts';

/**
 * An EventSink that passes everything on and counts what the statistics need: new messages (not the
 * server's system messages) and new conversations. Counting is a few map updates, after the commit.
 */
export class StatsEventTap implements EventSink {
  constructor(
    private readonly inner: EventSink,
    private readonly recorder: StatsRecorder,
    private readonly now: () => number,
  ) {}

  emit<E extends EventName>(
    recipients: readonly string[],
    event: E,
    body: EventBody<E>,
    opts?: EmitOptions,
  ): void {
    this.inner.emit(recipients, event, body, opts);
    this.count(event, body);
  }

  emitToAll<E extends EventName>(
    event: E,
    body: EventBody<E>,
    opts?: Pick<EmitOptions, 'exceptSessionId'>,
  ): void {
    this.inner.emitToAll(event, body, opts);
    this.count(event, body);
  }

  private count<E extends EventName>(event: E, body: EventBody<E>): void {
    if (event === 'message.created.v1') {
      const message = body as Message;
      if (message.content?.kind !== 'system')
        this.recorder.messageSent(message.senderId, message.conversationId, message.createdAt);
    } else if (event === 'conversation.changed.v1') {
      const change = body as EventBody<'conversation.changed.v1'>;
      if (change.reason === 'created') this.recorder.conversationCreated(change.conversationId, this.now());
    }
  }
}

type CountedUsers = Pick<UsersService, 'createAccount' | 'touch'>;

/**
 * The users service as every module sees it, also counting new accounts and activity (sign-ins and
 * session refreshes touch the user). A proxy, so the service's other methods pass through unchanged.
 */
export function countingUsers<T extends CountedUsers>(
  users: T,
  recorder: StatsRecorder,
  now: () => number,
): T {
  const createAccount: CountedUsers['createAccount'] = async (input) => {
    const account = await users.createAccount(input);
    recorder.userCreated(now());
    return account;
  };
  const touch: CountedUsers['touch'] = async (userId) => {
    await users.touch(userId);
    recorder.active(userId, now());
  };
  return new Proxy(users, {
    get(target, prop, receiver) {
      if (prop === 'createAccount') return createAccount;
      if (prop === 'touch') return touch;
      const value: unknown = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
