import { roleMayCall } from '@zhixin/protocol';
import type { FileReadAccess } from '../files/index.ts';
import { createMomentsContext, type MomentsDeps } from './moments.context.ts';
import { createMomentInteractions, type MomentInteractions } from './moments.interactions.ts';
import {
  createMomentDrafts,
  createMomentModeration,
  type MomentDrafts,
  type MomentModeration,
} from './moments.moderation.ts';
import { createMomentPosts, type MomentPosts } from './moments.posts.ts';
import { createMomentSearch, type MomentSearch } from './moments.search.ts';
import { canSeePost } from './moments.viewer.ts';

/** Moments (战友圈): posts and feeds, likes and comments, drafts, moderation. */
export interface MomentsService
  extends MomentPosts, MomentSearch, MomentInteractions, MomentDrafts, MomentModeration {
  /** Files of a post are readable by whoever may see the post; a cover by whoever is not blocked. */
  readAccess: FileReadAccess;
}

export function createMomentsService(deps: MomentsDeps): MomentsService {
  const ctx = createMomentsContext(deps);
  const readAccess: FileReadAccess = {
    async mayRead(userId, fileId) {
      const postIds = await ctx.posts.postsWithFile(fileId);
      const owners = await ctx.posts.coverOwners(fileId);
      if (!postIds.length && !owners.length) return false;
      const v = await ctx.viewer(userId);
      if (owners.some((owner) => owner === userId || !v.blocked.has(owner))) return true;
      if ((await ctx.posts.byIds(postIds)).some((p) => canSeePost(v, p))) return true;
      // Operators reviewing a report see what was reported, whoever the post was meant for.
      return (
        (await ctx.drafts.anyReported(postIds)) && roleMayCall('operator', (await deps.users.me(userId)).role)
      );
    },
  };
  return {
    ...createMomentPosts(ctx),
    ...createMomentSearch(ctx),
    ...createMomentInteractions(ctx),
    ...createMomentDrafts(ctx),
    ...createMomentModeration(ctx),
    readAccess,
  };
}
