import type { Moment, MomentVisibility } from '@zhixin/protocol';
import { client } from '../../app/client.ts';
import { clearDraft } from './drafts.ts';
import { dropPost, putPost, reloadPost } from './feed-store.ts';

/** Like or take the like back; the post comes back with its new likes. */
export async function toggleLike(post: Moment): Promise<void> {
  const next = post.likedByMe ? await client.moments.unlike(post.id) : await client.moments.like(post.id);
  putPost(next);
}

export async function changeVisibility(postId: string, visibility: MomentVisibility): Promise<void> {
  putPost(await client.moments.setVisibility(postId, visibility));
}

export async function deletePost(postId: string): Promise<void> {
  await client.moments.delete(postId);
  dropPost(postId);
}

/** Comment (or reply to a comment); the comment draft of the post is cleared. */
export async function sendComment(
  postId: string,
  text: string,
  replyToCommentId: string | null,
): Promise<void> {
  await client.moments.comment(postId, text, replyToCommentId ? { replyToCommentId } : {});
  await clearDraft('comment', postId);
  await reloadPost(postId);
}

export async function deleteComment(postId: string, commentId: string): Promise<void> {
  await client.moments.deleteComment(commentId);
  await reloadPost(postId);
}

export async function reportPost(postId: string, reason: string): Promise<void> {
  await client.moments.report(postId, reason);
}
