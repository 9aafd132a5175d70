import type { Moment, MomentVisibility } from '@zhixin/protocol';
import { client } from '../../app/client.ts';
import { clearDraft } from './drafts.ts';
import { dropPost, putPost, reloadPost } from './feed-store.ts';

/** Like or take the like back; the post comes back with its new likes. */
export async function toggleLike(post: Moment): Promise<void> {
  const next = post.likedByMe
    ? await client.call('moments.unlike', { postId: post.id })
    : await client.call('moments.like', { postId: post.id });
  putPost(next);
}

export async function changeVisibility(postId: string, visibility: MomentVisibility): Promise<void> {
  putPost(await client.call('moments.setVisibility', { id: postId, visibility }));
}

export async function deletePost(postId: string): Promise<void> {
  await client.call('moments.delete', { id: postId });
  dropPost(postId);
}

/** Comment (or reply to a comment); the comment draft of the post is cleared. */
export async function sendComment(postId: string, text: string, replyToCommentId: string | null): Promise<void> {
  await client.call('moments.comment', {
    postId,
    text,
    ...(replyToCommentId ? { replyToCommentId } : {}),
  });
  await clearDraft('comment', postId);
  await reloadPost(postId);
}

export async function deleteComment(postId: string, commentId: string): Promise<void> {
  await client.call('moments.deleteComment', { commentId });
  await reloadPost(postId);
}

export async function reportPost(postId: string, reason: string): Promise<void> {
  await client.call('moments.report', { postId, reason });
}
