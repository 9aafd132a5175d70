import { AppError } from '../../errors.ts';
import { writeTransaction } from '../../platform/db/index.ts';
import { newId } from '../../platform/ids.ts';
import type { ConversationsContext } from './conversations.context.ts';
import { newMemberRow } from './conversations.rows.ts';
import type { ChannelsService } from './conversations.types.ts';

/**
 * Channels: a post is stored once, in one conversation, and pushed as one frame per node to every
 * connected device (`EventSink.emitToAll`), instead of one copy per reader. Readers are every
 * user; each reader's member row (created by `subscribe`) holds their read position, pin, mute and
 * hidden flag, so the channel lists, counts unread and syncs like any conversation. Only the
 * owner and admins post (see `channelMembershipOf`).
 */
export class ChannelsCore implements ChannelsService {
  constructor(private readonly ctx: ConversationsContext) {}

  async create(ownerId: string, title: string, now: number): Promise<string> {
    const id = newId(now);
    await writeTransaction(this.ctx.db, this.ctx.dialect, (trx) =>
      this.ctx.conversations.insert(
        trx,
        {
          id,
          kind: 'channel',
          title,
          direct_key: null,
          owner_id: ownerId,
          last_seq: 0,
          member_count: 1,
          created_at: now,
          updated_at: now,
        },
        [newMemberRow(id, ownerId, 'owner', now)],
      ),
    );
    this.ctx.cache.changed(id);
    return id;
  }

  async retitle(channelId: string, title: string, now: number): Promise<void> {
    const channel = await this.ctx.conversations.byId(channelId);
    if (channel?.kind !== 'channel') throw AppError.notFound('conversation');
    // Unchanged: the row is not bumped (every reader's next sync would fetch it again).
    if (channel.title !== title) await this.ctx.conversations.setTitle(channelId, title, now);
  }

  async subscribe(
    channelId: string,
    userIds: readonly string[],
    now: number,
    opts: { ifPosted?: boolean } = {},
  ): Promise<number> {
    if (userIds.length === 0) return 0;
    return writeTransaction(this.ctx.db, this.ctx.dialect, async (trx) => {
      const channel = await this.ctx.conversations.byId(channelId, trx);
      if (channel?.kind !== 'channel') throw AppError.notFound('conversation');
      if (opts.ifPosted === true && channel.lastSeq === 0) return 0;
      // Posts from now on are unread for them; earlier ones stay readable in the history.
      return this.ctx.members.subscribe(trx, channelId, userIds, channel.lastSeq, now);
    });
  }
}
