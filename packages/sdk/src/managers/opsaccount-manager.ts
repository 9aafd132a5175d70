import type {
  Broadcast,
  BroadcastList,
  FeedbackItem,
  FeedbackList,
  FeedbackStatus,
  MessageList,
  OpsAccountInfo,
  OpsTarget,
} from '@zhixin/protocol';
import type { Call } from '../transport.ts';

export type {
  Broadcast,
  BroadcastList,
  FeedbackItem,
  FeedbackList,
  FeedbackStatus,
  OpsAccountInfo,
  OpsTarget,
};

export interface FeedbackOptions {
  status?: FeedbackStatus;
  /** `nextCursor` of the previous page. */
  cursor?: string;
  limit?: number;
}

export interface BroadcastsOptions {
  cursor?: string;
  limit?: number;
}

/**
 * The operations account (运营号): a fixed official account in everyone's contacts. Users chat with
 * it like with anyone (their messages land in the operators' feedback inbox); administrators send
 * as it and answer feedback. New feedback reaches administrators as `ops.feedback` events.
 */
export class OpsAccountManager {
  constructor(private readonly call: Call) {}

  /**
   * The operations account and my chat with it (created on first use).
   * @example
   * const ops = await client.opsAccount.info();
   * await client.messages.sendText(ops.conversationId, '登录时收不到验证码');
   */
  info(): Promise<OpsAccountInfo> {
    return this.call('opsAccount.info', {});
  }

  /**
   * Administrators: send as the operations account. To one user the message is delivered before
   * this resolves; to a department or everyone it is delivered in the background (see `broadcasts`).
   * @example
   * await client.opsAccount.send({ userId }, '您的账号已开通');
   * const b = await client.opsAccount.send({ all: true }, '系统将于今晚 22:00 升级');
   * console.log(b.status, b.delivered, b.total);
   */
  send(target: OpsTarget, text: string): Promise<Broadcast> {
    return this.call('opsAccount.send', { target, text });
  }

  /**
   * Administrators: sends of the operations account, newest first, with delivery progress.
   * @example
   * const { broadcasts } = await client.opsAccount.broadcasts({ limit: 20 });
   * const running = broadcasts.filter((b) => b.status === 'running');
   */
  broadcasts(options: BroadcastsOptions = {}): Promise<BroadcastList> {
    return this.call('opsAccount.broadcasts', options);
  }

  /**
   * Administrators: the feedback inbox, latest first, each with the user's latest message.
   * @example
   * const { items, nextCursor } = await client.opsAccount.feedback({ status: 'open' });
   * client.on('ops.feedback', (item) => console.log(item.userId, item.status));
   */
  feedback(options: FeedbackOptions = {}): Promise<FeedbackList> {
    return this.call('opsAccount.feedback', options);
  }

  /**
   * Administrators: a user's chat with the operations account, newest first.
   * @example
   * const { messages, hasMore } = await client.opsAccount.thread(item.userId, { limit: 50 });
   */
  thread(userId: string, options: { beforeSeq?: number; limit?: number } = {}): Promise<MessageList> {
    return this.call('opsAccount.thread', { userId, ...options });
  }

  /**
   * Administrators: answer a user in their chat with the operations account; marks it answered.
   * @example
   * await client.opsAccount.reply(item.userId, '已为您处理，请重新登录');
   */
  reply(userId: string, text: string): Promise<FeedbackItem> {
    return this.call('opsAccount.reply', { userId, text });
  }
}
