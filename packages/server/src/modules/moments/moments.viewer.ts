import type { MomentVisibility } from '@zhixin/protocol';

/** Who is looking, with what moments visibility needs to know about them. */
export interface Viewer {
  userId: string;
  /** Mutual contacts. */
  friends: ReadonlySet<string>;
  /** Users the viewer blocked or who blocked the viewer. */
  blocked: ReadonlySet<string>;
}

export interface VisiblePost {
  authorId: string;
  visibility: MomentVisibility;
  state: 'live' | 'deleted' | 'removed';
}

/** R-W1: the author; anyone (everyone) or the author's friends (friends); never across a block. */
export function canSeePost(v: Viewer, post: VisiblePost): boolean {
  if (post.state !== 'live') return false;
  if (post.authorId === v.userId) return true;
  if (v.blocked.has(post.authorId)) return false;
  if (post.visibility === 'everyone') return true;
  if (post.visibility === 'friends') return v.friends.has(post.authorId);
  return false;
}

/**
 * Whether the viewer sees a like or comment by `actorId` on a post they can see: their own always;
 * nothing across a block; the author sees all; others see the author's and their own friends'.
 */
export function canSeeActor(v: Viewer, post: VisiblePost, actorId: string): boolean {
  if (actorId === v.userId) return true;
  if (v.blocked.has(actorId)) return false;
  if (v.userId === post.authorId || actorId === post.authorId) return true;
  return v.friends.has(actorId);
}
