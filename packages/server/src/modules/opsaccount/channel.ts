import type { Message } from '@zhixin/protocol';
import { idFloor } from '../../platform/ids.ts';
import type { ConversationsService } from '../conversations/index.ts';
import type { MessagesService } from '../messages/index.ts';
import type { UsersService } from '../users/index.ts';
import type { OpsAccount } from './opsaccount.account.ts';
import type { OpsAccountRepo } from './opsaccount.repo.ts';

export interface OpsChannelDeps {
  repo: OpsAccountRepo;
  account: OpsAccount;
  users: Pick<UsersService, 'accountIdsAfter'>;
  conversations: Pick<ConversationsService, 'channels' | 'get'>;
  messages: Pick<MessagesService, 'send'>;
  now: () => number;
}

/** Users read per subscription page. */
const PAGE = 5000;
/**
 * The subscription cursor stays this far behind the clock: an account created on another node a
 * moment ago (its id from that node's clock) may commit after a later id was seen, and must not be
 * skipped. Accounts newer than this are looked at again on each post: after a bulk import (a
 * directory sync), for 15 s each post inserts their rows again (conflicts skipped).
 */
const CURSOR_LAG_MS = 15_000;

/** The client id of a broadcast's one post: a retried post finds it stored. */
export function postClientId(broadcastId: string): string {
  return `b-${broadcastId}`;
}

/**
 * The operations account's channel: a post to everyone is one message in one conversation, pushed
 * once per node to every connected device. Before each post, accounts made since the last one get
 * their member row, so the post counts as unread for them and the channel shows in their list.
 */
export class OpsChannel {
  private subscribing: Promise<void> = Promise.resolve();

  constructor(private readonly d: OpsChannelDeps) {}

  /** Post to everyone; returns the message and how many readers the channel has. */
  async post(broadcastId: string, text: string): Promise<{ message: Message; readers: number }> {
    const channelId = this.d.account.channelId;
    await this.subscribeNew(channelId);
    const message = await this.d.messages.send(this.d.account.caller, {
      conversationId: channelId,
      clientId: postClientId(broadcastId),
      content: { kind: 'text', text },
    });
    const channel = await this.d.conversations.get(this.d.account.caller, channelId);
    // Every member row but the account's own.
    return { message, readers: Math.max(0, channel.memberCount - 1) };
  }

  /**
   * A new account reads the channel at once: its member row is made as the account is, so the
   * channel and its earlier posts are in the first sync of its first sign-in. Not while the channel
   * has no post (it would show empty). The pass before the next post covers an account whose row
   * this could not make.
   */
  async subscribeAccount(userId: string): Promise<void> {
    if (!this.d.account.ready || userId === this.d.account.userId) return;
    await this.d.conversations.channels.subscribe(this.d.account.channelId, [userId], this.d.now(), {
      ifPosted: true,
    });
  }

  /** At start: accounts made since the last post (e.g. under an older version) get their rows. */
  async catchUp(): Promise<void> {
    const channelId = this.d.account.channelId;
    const channel = await this.d.conversations.get(this.d.account.caller, channelId);
    if (channel.lastSeq > 0) await this.subscribeNew(channelId);
  }

  /** One subscription pass at a time on this node; another node's at the same time is harmless. */
  private subscribeNew(channelId: string): Promise<void> {
    const run = this.subscribing.then(() => this.subscribePass(channelId));
    this.subscribing = run.catch(() => undefined);
    return run;
  }

  private async subscribePass(channelId: string): Promise<void> {
    const horizon = idFloor(this.d.now() - CURSOR_LAG_MS);
    let after = (await this.d.repo.channel())?.subscribedThrough ?? null;
    for (;;) {
      const ids = await this.d.users.accountIdsAfter(after, PAGE);
      if (ids.length === 0) return;
      await this.d.conversations.channels.subscribe(channelId, ids, this.d.now());
      const last = ids[ids.length - 1] as string;
      // The cursor only moves over accounts old enough to be surely committed.
      const settled = last < horizon ? last : ids.filter((id) => id < horizon).at(-1);
      if (settled !== undefined) await this.d.repo.subscribedThrough(settled);
      if (ids.length < PAGE) return;
      after = last;
    }
  }
}
