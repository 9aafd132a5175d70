import type { OperationRegistry } from '../../http/operations.ts';
import { requirePrincipal } from '../../http/principal.ts';
import type { MomentsService } from './moments.service.ts';

const ok = { ok: true as const };

/** moments.*: thin wrappers over the service. */
export function registerMomentsRoutes(ops: OperationRegistry, m: MomentsService): void {
  ops.register('moments.create', async (req, ctx) => m.create(requirePrincipal(ctx), req));
  ops.register('moments.get', async (req, ctx) => m.get(requirePrincipal(ctx), req.id));
  ops.register('moments.setVisibility', async (req, ctx) =>
    m.setVisibility(requirePrincipal(ctx), req.id, req.visibility),
  );
  ops.register('moments.delete', async (req, ctx) => {
    await m.delete(requirePrincipal(ctx), req.id);
    return ok;
  });
  ops.register('moments.feed', async (req, ctx) =>
    m.feed(requirePrincipal(ctx), req.scope, req.before, req.limit),
  );
  ops.register('moments.search', async (req, ctx) =>
    m.search(requirePrincipal(ctx), req.q, req.before, req.limit),
  );
  ops.register('moments.userPosts', async (req, ctx) =>
    m.userPosts(requirePrincipal(ctx), req.userId, req.before, req.limit),
  );
  ops.register('moments.setCover', async (req, ctx) => ({
    coverFileId: await m.setCover(requirePrincipal(ctx), req.fileId),
  }));
  ops.register('moments.unseen', async (req, ctx) => m.unseen(requirePrincipal(ctx), req.since));
  ops.register('moments.like', async (req, ctx) => m.like(requirePrincipal(ctx), req.postId));
  ops.register('moments.unlike', async (req, ctx) => m.unlike(requirePrincipal(ctx), req.postId));
  ops.register('moments.likes', async (req, ctx) => ({
    items: await m.likes(requirePrincipal(ctx), req.postId),
  }));
  ops.register('moments.comment', async (req, ctx) =>
    m.comment(requirePrincipal(ctx), req.postId, req.text, req.replyToCommentId),
  );
  ops.register('moments.comments', async (req, ctx) =>
    m.comments(requirePrincipal(ctx), req.postId, req.before, req.limit),
  );
  ops.register('moments.deleteComment', async (req, ctx) => {
    await m.deleteComment(requirePrincipal(ctx), req.commentId);
    return ok;
  });
  ops.register('moments.notifications', async (req, ctx) =>
    m.notifications(requirePrincipal(ctx), req.before, req.limit),
  );
  ops.register('moments.markNotificationsRead', async (_req, ctx) => {
    await m.markNotificationsRead(requirePrincipal(ctx));
    return ok;
  });
  ops.register('moments.saveDraft', async (req, ctx) => m.saveDraft(requirePrincipal(ctx), req));
  ops.register('moments.drafts', async (_req, ctx) => ({ items: await m.drafts(requirePrincipal(ctx)) }));
  ops.register('moments.deleteDraft', async (req, ctx) => {
    await m.deleteDraft(requirePrincipal(ctx), req.kind, req.key);
    return ok;
  });
  ops.register('moments.report', async (req, ctx) => {
    await m.report(requirePrincipal(ctx), req.postId, req.reason);
    return ok;
  });
  ops.register('moments.reports', async (req, _ctx) => m.reports(req.status, req.before, req.limit));
  ops.register('moments.resolveReport', async (req, ctx) =>
    m.resolveReport(requirePrincipal(ctx), req.reportId, req.action),
  );
}
