import type {
  MomentDraft,
  MomentDraftKind,
  MomentReport,
  MomentReportPage,
  MomentReportStatus,
  SaveMomentDraftBody,
} from '@zhixin/protocol';
import { AppError } from '../../errors.ts';
import { newId } from '../../platform/ids.ts';
import type { Caller } from '../deps.ts';
import { decodeCursor, pageOf } from './moments.cursor.ts';
import type { MomentsContext } from './moments.context.ts';
import type { ReportRecord } from './moments.drafts.repo.ts';

const DEFAULT_PAGE = 20;

export interface MomentDrafts {
  saveDraft(caller: Caller, body: SaveMomentDraftBody): Promise<MomentDraft>;
  drafts(caller: Caller): Promise<MomentDraft[]>;
  deleteDraft(caller: Caller, kind: MomentDraftKind, key: string): Promise<void>;
}

export interface MomentModeration {
  report(caller: Caller, postId: string, reason: string): Promise<void>;
  reports(status: MomentReportStatus | undefined, before?: string, limit?: number): Promise<MomentReportPage>;
  resolveReport(caller: Caller, reportId: string, action: 'remove' | 'dismiss'): Promise<MomentReport>;
}

/** R-W5: drafts synced across the user's devices. */
export function createMomentDrafts(ctx: MomentsContext): MomentDrafts {
  return {
    async saveDraft(caller, body) {
      const draft: MomentDraft = {
        kind: body.kind,
        key: body.key,
        content: body.content,
        updatedAt: ctx.now(),
      };
      await ctx.drafts.saveDraft(caller.userId, draft);
      ctx.emitDraft(caller, { kind: draft.kind, key: draft.key, draft });
      return draft;
    },
    drafts: (caller) => ctx.drafts.drafts(caller.userId),
    async deleteDraft(caller, kind, key) {
      if (await ctx.drafts.deleteDraft(caller.userId, kind, key))
        ctx.emitDraft(caller, { kind, key, draft: null });
    },
  };
}

/** Users report posts they can see; operators remove them or dismiss the report. */
export function createMomentModeration(ctx: MomentsContext): MomentModeration {
  async function present(records: ReportRecord[]): Promise<MomentReport[]> {
    const posts = new Map(
      (await ctx.posts.byIds([...new Set(records.map((r) => r.postId))])).map((p) => [p.id, p]),
    );
    const people = await ctx.profiles([
      ...records.map((r) => r.reporterId),
      ...[...posts.values()].map((p) => p.authorId),
    ]);
    return records.flatMap((r) => {
      const post = posts.get(r.postId);
      const reporter = people.get(r.reporterId);
      const author = post ? people.get(post.authorId) : undefined;
      if (!post || !reporter || !author) return [];
      return [
        {
          ...r,
          reporter,
          post: {
            authorId: post.authorId,
            author,
            text: post.text,
            media: post.media,
            createdAt: post.createdAt,
            gone: post.state !== 'live',
          },
        },
      ];
    });
  }

  async function one(reportId: string): Promise<MomentReport> {
    const record = await ctx.drafts.report(reportId);
    const [shown] = record ? await present([record]) : [];
    if (!shown) throw AppError.notFound('report');
    return shown;
  }

  return {
    async report(caller, postId, reason) {
      const v = await ctx.viewer(caller.userId);
      const post = await ctx.visiblePost(v, postId);
      if (post.authorId === caller.userId)
        throw new AppError('FORBIDDEN', { id: postId }, 'You cannot report your own post');
      if (await ctx.drafts.reportOf(postId, caller.userId))
        throw new AppError('MOMENT_ALREADY_REPORTED', { id: postId });
      await ctx.drafts.addReport({
        id: newId(),
        postId,
        reporterId: caller.userId,
        reason,
        status: 'open',
        createdAt: ctx.now(),
        resolvedAt: null,
        resolvedBy: null,
      });
    },

    async reports(status, before, limit = DEFAULT_PAGE) {
      const records = await ctx.drafts.reports(status, decodeCursor(before), limit + 1);
      const page = pageOf(records, limit);
      return { items: await present(page.items), nextCursor: page.nextCursor };
    },

    async resolveReport(caller, reportId, action) {
      const record = await ctx.drafts.report(reportId);
      if (!record) throw AppError.notFound('report');
      const now = ctx.now();
      if (
        !(await ctx.drafts.resolve(
          reportId,
          action === 'remove' ? 'removed' : 'dismissed',
          caller.userId,
          now,
        ))
      )
        throw new AppError('MOMENT_REPORT_RESOLVED', { id: reportId });
      if (action === 'remove') {
        const post = await ctx.posts.byId(record.postId);
        await ctx.drafts.resolveOpenOfPost(record.postId, caller.userId, now);
        if (post?.state === 'live') {
          await ctx.posts.setState(post.id, 'removed', now);
          await ctx.notify(post.authorId, 'removed', { ...post, state: 'removed' }, null);
        }
      }
      return one(reportId);
    },
  };
}
