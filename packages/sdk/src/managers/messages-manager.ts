import { MAX_TEXT_BYTES, type OpRequest, type OpResponse } from '@zhixin/protocol';
import { ZhixinError } from '../errors.ts';
import { randomId } from '../platform/ids.ts';
import { sleep, type Timers } from '../platform/timers.ts';
import type { ReconnectPolicy } from '../realtime/reconnect-policy.ts';
import type { Call } from '../transport.ts';

export type Message = OpResponse<'messages.send'>;
export type MessageContent = OpRequest<'messages.send'>['content'];
export type TextContent = OpRequest<'messages.edit'>['content'];
/** What a server-written system message in a group says (announcement, dissolution, ...). */
export type SystemContent = Extract<NonNullable<Message['content']>, { kind: 'system' }>;
export type MessageRef = OpRequest<'messages.forward'>['from'];
export type MessageList = OpResponse<'messages.history'>;
export type Readers = OpResponse<'messages.readers'>;
export type ReadPosition = OpResponse<'conversations.markRead'>;
export type HistoryPage = Omit<OpRequest<'messages.history'>, 'conversationId'>;

export interface SendOptions {
  mentions?: OpRequest<'messages.send'>['mentions'];
  replyToSeq?: number;
  /** The idempotency key; default: a new random one. Pass your own to retry a send across restarts. */
  clientId?: string;
}

export interface MessagesManagerDeps {
  call: Call;
  timers: Timers;
  /** When a transient failure of a send is retried (same client id, so the server keeps one copy). */
  retryPolicy: ReconnectPolicy;
  /** The server accepted a new message of ours. */
  onSent: (message: Message) => void;
  /** The server returned a newer version of a message (edit, recall, reaction). */
  onChanged: (message: Message) => void;
}

/** A fresh client id for `send` (22 URL-safe characters). @example const clientId = newClientId(); */
export function newClientId(): string {
  return randomId(22);
}

function utf8Bytes(text: string): number {
  return new TextEncoder().encode(text).length;
}

/**
 * Sending and acting on messages. Sends go over the WebSocket when connected, else REST, and are
 * retried on transient failures with the same client id: the server stores one message per id.
 * Your own sent messages are also emitted once as `message.created` (match them by `clientId`).
 */
export class MessagesManager {
  constructor(private readonly deps: MessagesManagerDeps) {}

  /**
   * Send a message; resolves when the server has stored it.
   * @example
   * const m = await client.messages.send(conversationId, { kind: 'text', text: '你好' }, { replyToSeq: 41 });
   */
  async send(conversationId: string, content: MessageContent, options: SendOptions = {}): Promise<Message> {
    if (content.kind === 'text' && utf8Bytes(content.text) > MAX_TEXT_BYTES) {
      throw new ZhixinError(
        'MESSAGE_TOO_LONG',
        `text is ${utf8Bytes(content.text)} bytes; the limit is ${MAX_TEXT_BYTES}`,
        { status: 0 },
      );
    }
    const request: OpRequest<'messages.send'> = {
      conversationId,
      clientId: options.clientId ?? newClientId(),
      content,
    };
    if (options.mentions) request.mentions = options.mentions;
    if (options.replyToSeq !== undefined) request.replyToSeq = options.replyToSeq;
    const message = await this.withRetry(() => this.deps.call('messages.send', request));
    this.deps.onSent(message);
    return message;
  }

  /**
   * Send a text message.
   * @example
   * await client.messages.sendText(conversationId, '@all 开会了', { mentions: ['all'] });
   */
  sendText(conversationId: string, text: string, options: SendOptions = {}): Promise<Message> {
    return this.send(conversationId, { kind: 'text', text }, options);
  }

  /**
   * Forward a message into a conversation (retried like `send`).
   * @example
   * await client.messages.forward(targetId, { conversationId: sourceId, seq: 17 });
   */
  async forward(
    conversationId: string,
    from: MessageRef,
    options: { clientId?: string } = {},
  ): Promise<Message> {
    const request = { conversationId, clientId: options.clientId ?? newClientId(), from };
    const message = await this.withRetry(() => this.deps.call('messages.forward', request));
    this.deps.onSent(message);
    return message;
  }

  /**
   * Replace the text of my message.
   * @example
   * await client.messages.edit(conversationId, 42, '改正后的内容');
   */
  async edit(
    conversationId: string,
    seq: number,
    text: string | TextContent,
    mentions?: SendOptions['mentions'],
  ): Promise<Message> {
    const content: TextContent = typeof text === 'string' ? { kind: 'text', text } : text;
    return this.changed(
      await this.deps.call('messages.edit', {
        conversationId,
        seq,
        content,
        ...(mentions ? { mentions } : {}),
      }),
    );
  }

  /**
   * Recall my message (within the server's recall window).
   * @example
   * await client.messages.recall(conversationId, 42);
   */
  async recall(conversationId: string, seq: number): Promise<Message> {
    return this.changed(await this.deps.call('messages.recall', { conversationId, seq }));
  }

  /**
   * Add (or with `on = false` remove) a reaction.
   * @example
   * await client.messages.react(conversationId, 42, '👍');
   */
  async react(conversationId: string, seq: number, emoji: string, on = true): Promise<Message> {
    return this.changed(await this.deps.call('messages.react', { conversationId, seq, emoji, on }));
  }

  /**
   * A page of history: newest first without bounds, `beforeSeq` to scroll back, `afterSeq` for
   * messages after a seq (oldest first).
   * @example
   * const { messages, hasMore } = await client.messages.history(conversationId, { beforeSeq: 120, limit: 50 });
   */
  history(conversationId: string, page: HistoryPage = {}): Promise<MessageList> {
    return this.deps.call('messages.history', { conversationId, ...page });
  }

  /**
   * Messages of a conversation edited, recalled or reacted to since a time (ms, server clock).
   * @example
   * const { messages } = await client.messages.changes(conversationId, Date.now() - 3_600_000);
   */
  changes(conversationId: string, since: number, limit?: number): Promise<MessageList> {
    return this.deps.call('messages.changes', { conversationId, since, ...(limit ? { limit } : {}) });
  }

  /**
   * Mark a conversation read up to a seq (my other devices follow).
   * @example
   * await client.messages.markRead(conversationId, lastVisible.seq);
   */
  markRead(conversationId: string, seq: number): Promise<ReadPosition> {
    return this.deps.call('conversations.markRead', { conversationId, seq });
  }

  /**
   * Who has and has not read a message.
   * @example
   * const { readUserIds, unreadUserIds } = await client.messages.readers(conversationId, 42);
   */
  readers(conversationId: string, seq: number): Promise<Readers> {
    return this.deps.call('messages.readers', { conversationId, seq });
  }

  /**
   * Tell the other members I am (or stopped) typing.
   * @example
   * input.oninput = () => client.messages.typing(conversationId);
   */
  async typing(conversationId: string, typing = true): Promise<void> {
    await this.deps.call('conversations.typing', { conversationId, typing });
  }

  private changed(message: Message): Message {
    this.deps.onChanged(message);
    return message;
  }

  private async withRetry(attempt: () => Promise<Message>): Promise<Message> {
    for (let n = 0; ; n++) {
      try {
        return await attempt();
      } catch (err) {
        if (!(err instanceof ZhixinError) || !err.isTransient()) throw err;
        const delay = this.deps.retryPolicy.nextDelayMs({ attempt: n, error: err });
        if (delay === null) throw err;
        await sleep(this.deps.timers, delay);
      }
    }
  }
}
