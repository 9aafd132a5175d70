import type { TemporaryGroup } from '@zhixin/protocol';
import { AppError } from '../../errors.ts';
import type { ConversationsContext } from './conversations.context.ts';
import type { Caller } from './conversations.types.ts';
import { OWNER, groupChanged, postSystem, requireGroupRole } from './groups.access.ts';

const DAY_MS = 86_400_000;

/** Dissolving groups, by their owner or (temporary groups left unused) by the cleanup. */
export class GroupLifecycle {
  constructor(
    private readonly ctx: ConversationsContext,
    private readonly idleDays: () => number,
  ) {}

  /** Owner only: members are told (event + system message); history stays, read-only. */
  async dissolve(caller: Caller, conversationId: string): Promise<void> {
    await requireGroupRole(this.ctx, caller, conversationId, OWNER);
    await this.end(conversationId, caller.userId, 'dissolved', caller);
  }

  /** An operator dissolves any group: as for the owner, with the operator as the system message's actor. */
  async dissolveAsStaff(actorId: string, conversationId: string): Promise<void> {
    const conv = await this.ctx.conversations.byId(conversationId);
    if (!conv || conv.kind !== 'group') throw AppError.notFound('group');
    if ((await this.end(conversationId, actorId, 'dissolved', null)) === null)
      throw new AppError('GROUP_DISSOLVED');
  }

  /** Every temporary group, those idle long enough marked. */
  async temporary(): Promise<TemporaryGroup[]> {
    const cutoff = this.ctx.now() - this.idleDays() * DAY_MS;
    const groups = await this.ctx.groups.temporaryGroups();
    return groups.map((g) => ({ ...g, idle: g.dissolvedAt === null && g.lastActiveAt < cutoff }));
  }

  /** Dissolve idle temporary groups (or, with dryRun, only say which); returns them. */
  async cleanup(dryRun: boolean): Promise<TemporaryGroup[]> {
    const idle = (await this.temporary()).filter((g) => g.idle);
    if (dryRun) return idle;
    const done: TemporaryGroup[] = [];
    for (const g of idle) {
      const conv = await this.ctx.conversations.byId(g.conversationId);
      // Someone may have written since the listing: only a group still idle is dissolved.
      if (!conv || conv.updatedAt !== g.lastActiveAt) continue;
      const at = await this.end(g.conversationId, conv.ownerId, 'expired', null);
      if (at !== null) done.push({ ...g, dissolvedAt: at, idle: false });
    }
    return done;
  }

  /** Mark the group dissolved (once), post the system message, tell every member. */
  private async end(
    conversationId: string,
    actorId: string | null,
    event: 'dissolved' | 'expired',
    caller: Caller | null,
  ): Promise<number | null> {
    const now = this.ctx.now();
    const settings = await this.ctx.groups.settings(conversationId);
    if (settings.dissolvedAt !== null) {
      if (caller) throw new AppError('GROUP_DISSOLVED');
      return null;
    }
    // The system message goes in first: once dissolved, the send path refuses everything.
    const actor = actorId ?? (await this.ctx.members.membership(conversationId))?.memberIds[0];
    if (actor) await postSystem(this.ctx, conversationId, actor, { event });
    await this.ctx.groups.update(conversationId, { dissolvedAt: now }, now);
    await this.ctx.conversations.touch(conversationId, now);
    await groupChanged(this.ctx, caller, conversationId, 'dissolved');
    return now;
  }
}
