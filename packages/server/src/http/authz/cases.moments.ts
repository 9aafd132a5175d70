import type { MomentVisibility } from '@zhixin/protocol';
import { mustCall } from '../../testing/factories.ts';
import { OPERATORS, OWNER, SIGNED_IN, type CallerKind, type OpCase, type World } from './authz.types.ts';
import { oncePerWorld } from './cases.messaging.ts';

/** A new post of the owner (the world has no friendships: a friends-only post is the owner's alone). */
async function ownerPost(w: World, visibility: MomentVisibility): Promise<string> {
  const post = await mustCall(
    w.app,
    'moments.create',
    { text: `a ${visibility} post`, visibility },
    w.users.owner.accessToken,
  );
  return post.id;
}

/** One friends-only post of the owner per world, for the read-only cases. */
const friendsPostOf = oncePerWorld((w) => ownerPost(w, 'friends'));

/** A public post of the owner with a comment by `member`; the comment's id. */
async function commentOnPublicPost(w: World): Promise<string> {
  const postId = await ownerPost(w, 'everyone');
  const comment = await mustCall(
    w.app,
    'moments.comment',
    { postId, text: 'a comment of the member' },
    w.users.member.accessToken,
  );
  return comment.id;
}

/** An open report, by the outsider-like `stranger`, of a new public post of the owner. */
async function openReport(w: World): Promise<string> {
  const postId = await ownerPost(w, 'everyone');
  await mustCall(w.app, 'moments.report', { postId, reason: 'spam' }, w.users.stranger.accessToken);
  const { items } = await mustCall(w.app, 'moments.reports', { status: 'open' }, w.users.admin.accessToken);
  const report = items.find((r) => r.postId === postId);
  if (!report) throw new Error('the report is missing');
  return report.id;
}

const SEES =
  'who may see the post: its author, and the author’s friends (friends-only, as here); never across a block';
/** Everyone signed in but the author: one may not report one's own post. */
const NOT_THE_AUTHOR: readonly CallerKind[] = SIGNED_IN.filter((c) => c !== 'owner');

/**
 * Moments. Visibility is the resource rule: the read and interaction cases use a friends-only post
 * of the owner, which nobody else in the world may see (no one is the owner's friend).
 */
export const opCases: OpCase[] = [
  {
    op: 'moments.create',
    allow: SIGNED_IN,
    rule: 'any signed-in user (media must be their own ready files)',
    prepare: () => ({ text: 'my post', visibility: 'self' }),
  },
  { op: 'moments.get', allow: OWNER, rule: SEES, prepare: async (w) => ({ id: await friendsPostOf(w) }) },
  {
    op: 'moments.setVisibility',
    allow: OWNER,
    rule: 'the post’s author',
    // Someone else's public post: visible to all, still not theirs to change.
    prepare: async (w) => ({ id: await ownerPost(w, 'everyone'), visibility: 'everyone' }),
  },
  {
    op: 'moments.delete',
    allow: OWNER,
    rule: 'the post’s author (operators remove reported posts with moments.resolveReport)',
    prepare: async (w) => ({ id: await ownerPost(w, 'everyone') }),
  },
  {
    op: 'moments.feed',
    allow: SIGNED_IN,
    rule: 'any signed-in user (only posts they may see)',
    prepare: () => ({ scope: 'everyone' }),
  },
  {
    op: 'moments.search',
    allow: SIGNED_IN,
    rule: 'any signed-in user (only posts they may see)',
    prepare: () => ({ q: 'post' }),
  },
  {
    op: 'moments.userPosts',
    allow: SIGNED_IN,
    rule: 'any signed-in user (only the posts of that user they may see)',
    prepare: (w) => ({ userId: w.users.owner.userId }),
  },
  {
    op: 'moments.setCover',
    allow: SIGNED_IN,
    rule: 'any signed-in user (their own cover, from their own image)',
    prepare: () => ({ fileId: null }),
  },
  {
    op: 'moments.unseen',
    allow: SIGNED_IN,
    rule: 'any signed-in user (counts only posts they may see)',
    prepare: () => ({ since: 0 }),
  },
  {
    op: 'moments.like',
    allow: OWNER,
    rule: SEES,
    prepare: async (w) => ({ postId: await friendsPostOf(w) }),
  },
  {
    op: 'moments.unlike',
    allow: OWNER,
    rule: SEES,
    prepare: async (w) => ({ postId: await friendsPostOf(w) }),
  },
  {
    op: 'moments.likes',
    allow: OWNER,
    rule: SEES,
    prepare: async (w) => ({ postId: await friendsPostOf(w) }),
  },
  {
    op: 'moments.comment',
    allow: OWNER,
    rule: SEES,
    prepare: async (w) => ({ postId: await friendsPostOf(w), text: 'a comment' }),
  },
  {
    op: 'moments.comments',
    allow: OWNER,
    rule: SEES,
    prepare: async (w) => ({ postId: await friendsPostOf(w) }),
  },
  {
    op: 'moments.deleteComment',
    allow: ['member', 'owner'],
    rule: 'the comment’s author or the post’s author',
    prepare: async (w) => ({ commentId: await commentOnPublicPost(w) }),
  },
  {
    op: 'moments.notifications',
    allow: SIGNED_IN,
    rule: 'any signed-in user (their own notifications)',
    prepare: () => ({}),
  },
  {
    op: 'moments.markNotificationsRead',
    allow: SIGNED_IN,
    rule: 'any signed-in user (their own notifications)',
    prepare: () => ({}),
  },
  {
    op: 'moments.saveDraft',
    allow: SIGNED_IN,
    rule: 'any signed-in user (their own drafts)',
    prepare: () => ({ kind: 'post', key: 'authz', content: { text: 'a draft' } }),
  },
  {
    op: 'moments.drafts',
    allow: SIGNED_IN,
    rule: 'any signed-in user (their own drafts)',
    prepare: () => ({}),
  },
  {
    op: 'moments.deleteDraft',
    allow: SIGNED_IN,
    rule: 'any signed-in user (their own drafts)',
    prepare: () => ({ kind: 'post', key: 'authz' }),
  },
  {
    op: 'moments.report',
    allow: NOT_THE_AUTHOR,
    rule: 'who may see the post, but not its author; once per post',
    prepare: async (w) => ({ postId: await ownerPost(w, 'everyone'), reason: 'inappropriate' }),
  },
  { op: 'moments.reports', allow: OPERATORS, rule: 'operators and administrators', prepare: () => ({}) },
  {
    op: 'moments.resolveReport',
    allow: OPERATORS,
    rule: 'operators and administrators',
    prepare: async (w) => ({ reportId: await openReport(w), action: 'dismiss' }),
  },
];
