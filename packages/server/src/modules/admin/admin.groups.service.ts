import type { AdminGroup, AdminGroupMembers, AdminGroupPage, AdminGroupsQuery } from '@zhixin/protocol';
import { AppError } from '../../errors.ts';
import type { ConversationsService, StaffGroupRecord } from '../conversations/index.ts';
import type { UsersService } from '../users/index.ts';

/** Group administration for operators: every group, its members, dissolving. */
export class AdminGroups {
  constructor(
    private readonly conversations: ConversationsService,
    private readonly users: UsersService,
  ) {}

  private async present(groups: readonly StaffGroupRecord[]): Promise<AdminGroup[]> {
    const ownerIds = [...new Set(groups.flatMap((g) => (g.ownerId ? [g.ownerId] : [])))];
    const names = new Map((await this.users.profiles(ownerIds)).map((p) => [p.id, p.nickname]));
    return groups.map((g) => ({ ...g, ownerNickname: g.ownerId ? (names.get(g.ownerId) ?? null) : null }));
  }

  private async mustGet(conversationId: string): Promise<StaffGroupRecord> {
    const g = await this.conversations.staff.get(conversationId);
    if (!g) throw AppError.notFound('group');
    return g;
  }

  async list(q: AdminGroupsQuery): Promise<AdminGroupPage> {
    const page = q.page ?? 1;
    const pageSize = q.pageSize ?? 20;
    const { groups, total } = await this.conversations.staff.list(
      {
        ...(q.q !== undefined ? { text: q.q } : {}),
        status: q.status ?? 'all',
        ...(q.temporary !== undefined ? { temporary: q.temporary } : {}),
      },
      (page - 1) * pageSize,
      pageSize,
    );
    return { groups: await this.present(groups), total, page, pageSize };
  }

  async members(conversationId: string): Promise<AdminGroupMembers> {
    const [group] = await this.present([await this.mustGet(conversationId)]);
    const members = await this.conversations.staff.members(conversationId);
    const names = new Map(
      (await this.users.profiles(members.map((m) => m.userId))).map((p) => [p.id, p.nickname]),
    );
    return {
      group: group!,
      members: members.map((m) => ({ ...m, nickname: names.get(m.userId) ?? '' })),
    };
  }

  async dissolve(actorId: string, conversationId: string): Promise<AdminGroup> {
    await this.mustGet(conversationId);
    await this.conversations.staff.dissolve(actorId, conversationId);
    const [group] = await this.present([await this.mustGet(conversationId)]);
    return group!;
  }
}
