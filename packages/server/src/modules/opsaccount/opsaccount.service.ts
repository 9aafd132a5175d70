import type {
  Broadcast,
  BroadcastList,
  BroadcastListQuery,
  FeedbackItem,
  FeedbackList,
  FeedbackQuery,
  FeedbackThreadQuery,
  Message,
  MessageList,
  OpsAccountInfo,
  OpsTarget,
} from '@zhixin/protocol';
import { AppError } from '../../errors.ts';
import type { EventSink } from '../../platform/events.ts';
import { newId } from '../../platform/ids.ts';
import type { Caller } from '../deps.ts';
import type { MessagesService } from '../messages/index.ts';
import type { UsersService } from '../users/index.ts';
import type { BroadcastRunner, DepartmentMembers } from './broadcast.runner.ts';
import type { OpsChannel } from './channel.ts';
import type { OpsAccount } from './opsaccount.account.ts';
import type { BroadcastRecord, FeedbackRecord, OpsAccountRepo } from './opsaccount.repo.ts';

const MAX_TEXT_BYTES = 2048;
const DEFAULT_PAGE = 20;

export interface OpsAccountService {
  /** The account and the caller's chat with it (created on first use). */
  info(caller: Caller): Promise<OpsAccountInfo>;
  /**
   * Operators: to one user at once, into their chat with the account; to everyone at once, one post
   * in the account's channel; to a department in the background, a copy in each member's chat.
   */
  send(caller: Caller, target: OpsTarget, text: string): Promise<Broadcast>;
  broadcasts(query: BroadcastListQuery): Promise<BroadcastList>;
  feedback(query: FeedbackQuery): Promise<FeedbackList>;
  /** The user's chat with the operations account, newest first; NOT_FOUND when they never wrote. */
  thread(query: FeedbackThreadQuery): Promise<MessageList>;
  /** NOT_FOUND when the user never wrote to the operations account. */
  reply(caller: Caller, userId: string, text: string): Promise<FeedbackItem>;
  /** Called for every new message in a chat of the operations account (see the event tap). */
  noteMessage(message: Message): Promise<void>;
}

export interface OpsAccountServiceDeps {
  repo: OpsAccountRepo;
  account: OpsAccount;
  runner: BroadcastRunner;
  channel: OpsChannel;
  users: Pick<UsersService, 'existing' | 'profiles' | 'adminIds' | 'officialIds'>;
  messages: Pick<MessagesService, 'send' | 'history'>;
  departments: DepartmentMembers | null;
  events: EventSink;
  now: () => number;
}

function checkText(text: string): string {
  const clean = text.trim();
  if (!clean) throw AppError.validation([{ path: '/text', message: 'must not be blank' }]);
  const bytes = Buffer.byteLength(clean, 'utf8');
  if (bytes > MAX_TEXT_BYTES) throw new AppError('MESSAGE_TOO_LONG', { bytes, max: MAX_TEXT_BYTES });
  return clean;
}

function targetOf(b: BroadcastRecord): OpsTarget {
  if (b.targetKind === 'all' || b.targetId === null) return { all: true };
  return b.targetKind === 'user' ? { userId: b.targetId } : { departmentId: b.targetId };
}

function present(b: BroadcastRecord): Broadcast {
  return {
    id: b.id,
    senderId: b.senderId,
    target: targetOf(b),
    text: b.text,
    status: b.status,
    total: b.total,
    delivered: b.delivered,
    createdAt: b.createdAt,
    finishedAt: b.finishedAt,
  };
}

const feedbackCursor = (r: FeedbackRecord) => `${r.lastAt}.${r.userId}`;

function parseFeedbackCursor(raw: string | undefined): { lastAt: number; userId: string } | null {
  if (raw === undefined) return null;
  const m = /^(\d{1,16})\.([A-Za-z0-9_-]{1,64})$/.exec(raw);
  if (!m) throw AppError.validation([{ path: '/cursor', message: 'malformed cursor' }]);
  return { lastAt: Number(m[1]), userId: m[2] as string };
}

/** Operator sends, broadcast bookkeeping and the feedback inbox of the operations account. */
export function createOpsAccountService(d: OpsAccountServiceDeps): OpsAccountService {
  async function requireUser(userId: string): Promise<void> {
    if (userId === d.account.userId || !(await d.users.existing([userId])).has(userId)) {
      throw new AppError('NOT_FOUND', { what: 'user', userIds: [userId] }, 'user not found');
    }
  }

  async function items(records: readonly FeedbackRecord[]): Promise<FeedbackItem[]> {
    const profiles = new Map((await d.users.profiles(records.map((r) => r.userId))).map((p) => [p.id, p]));
    const out: FeedbackItem[] = [];
    for (const r of records) {
      const profile = profiles.get(r.userId);
      if (!profile) continue;
      const page = await d.messages.history(d.account.caller, {
        conversationId: r.conversationId,
        beforeSeq: r.lastSeq + 1,
        limit: 1,
      });
      const lastMessage = page.messages.find((m) => m.seq === r.lastSeq) ?? null;
      out.push({
        userId: r.userId,
        conversationId: r.conversationId,
        profile,
        status: r.status,
        lastMessage,
        updatedAt: r.updatedAt,
      });
    }
    return out;
  }

  async function itemOf(userId: string): Promise<FeedbackItem> {
    const record = await d.repo.feedback(userId);
    const [item] = record ? await items([record]) : [];
    if (!item) throw new AppError('NOT_FOUND', { what: 'feedback', userId }, 'no feedback from this user');
    return item;
  }

  return {
    async info(caller) {
      const chat = await d.account.chatWith(caller.userId);
      const [profile] = await d.users.profiles([d.account.userId]);
      return {
        userId: d.account.userId,
        name: profile?.nickname ?? '',
        conversationId: chat.id,
        channelId: d.account.channelId,
      };
    },

    async send(caller, target, rawText) {
      const text = checkText(rawText);
      const now = d.now();
      const base = { id: newId(now), senderId: caller.userId, text, createdAt: now };
      if ('userId' in target) {
        await requireUser(target.userId);
        const record: BroadcastRecord = {
          ...base,
          targetKind: 'user',
          targetId: target.userId,
          status: 'done',
          total: 1,
          delivered: 1,
          cursor: target.userId,
          finishedAt: now,
        };
        // One recipient: delivered before answering, so the operator knows it arrived.
        await d.runner.deliver(record, [target.userId]);
        record.finishedAt = d.now();
        await d.repo.insertBroadcast(record);
        return present(record);
      }
      if (!('departmentId' in target)) {
        // Everyone: stored once, every reader has it as soon as it is stored.
        const { readers } = await d.channel.post(base.id, text);
        const record: BroadcastRecord = {
          ...base,
          targetKind: 'all',
          targetId: null,
          status: 'done',
          total: readers,
          delivered: readers,
          cursor: null,
          finishedAt: d.now(),
        };
        await d.repo.insertBroadcast(record);
        return present(record);
      }
      if (!d.departments) throw new AppError('DIRECTORY_UNAVAILABLE', { departmentId: target.departmentId });
      const total = (await d.users.existing(await d.departments.memberIds(target.departmentId))).size;
      const record: BroadcastRecord = {
        ...base,
        targetKind: 'department',
        targetId: target.departmentId,
        status: 'running',
        total,
        delivered: 0,
        cursor: null,
        finishedAt: null,
      };
      await d.repo.insertBroadcast(record);
      d.runner.kick();
      return present(record);
    },

    async broadcasts(query) {
      const limit = query.limit ?? DEFAULT_PAGE;
      if (query.cursor !== undefined && !/^[A-Za-z0-9_-]{1,64}$/.test(query.cursor)) {
        throw AppError.validation([{ path: '/cursor', message: 'malformed cursor' }]);
      }
      const rows = await d.repo.broadcasts(query.cursor ?? null, limit + 1);
      const page = rows.slice(0, limit);
      return {
        broadcasts: page.map(present),
        nextCursor: rows.length > limit ? (page[page.length - 1]?.id ?? null) : null,
      };
    },

    async feedback(query) {
      const limit = query.limit ?? DEFAULT_PAGE;
      const rows = await d.repo.feedbackPage(query.status, parseFeedbackCursor(query.cursor), limit + 1);
      const page = rows.slice(0, limit);
      const last = page[page.length - 1];
      return {
        items: await items(page),
        nextCursor: rows.length > limit && last ? feedbackCursor(last) : null,
      };
    },

    async thread(query) {
      const record = await d.repo.feedback(query.userId);
      if (!record)
        throw new AppError(
          'NOT_FOUND',
          { what: 'feedback', userId: query.userId },
          'no feedback from this user',
        );
      return d.messages.history(d.account.caller, {
        conversationId: record.conversationId,
        ...(query.beforeSeq !== undefined ? { beforeSeq: query.beforeSeq } : {}),
        limit: query.limit ?? 50,
      });
    },

    async reply(caller, userId, rawText) {
      const text = checkText(rawText);
      const record = await d.repo.feedback(userId);
      if (!record)
        throw new AppError('NOT_FOUND', { what: 'feedback', userId }, 'no feedback from this user');
      await d.messages.send(d.account.caller, {
        conversationId: record.conversationId,
        clientId: `r-${newId()}`,
        content: { kind: 'text', text },
      });
      await d.repo.markAnswered(userId, d.now());
      const item = await itemOf(userId);
      // Other operators' inboxes follow.
      d.events.emit(await d.users.adminIds(), 'ops.feedback.v1', item, { exceptSessionId: caller.sessionId });
      return item;
    },

    async noteMessage(message) {
      if (!d.account.ready || message.senderId === d.account.userId) return;
      await d.repo.noteFeedback(message.senderId, message.conversationId, message.seq, message.createdAt);
      d.events.emit(await d.users.adminIds(), 'ops.feedback.v1', await itemOf(message.senderId));
    },
  };
}
