import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../app.ts';
import { buildTestApp, testDialects } from '../../testing/app.ts';
import { callOp, errorOf, mustCall, registerUser, type TestUser } from '../../testing/factories.ts';
import { befriend } from '../../testing/friends.ts';
import { post } from './moments.testing.ts';

type Who = 'author' | 'friend' | 'stranger' | 'blocked' | 'shunned';
type Kind = 'everyone' | 'friends' | 'self';

/**
 * R-W1: who sees which post. A block works both ways: `blocked` is the author's friend who then
 * blocked the author, `shunned` the author's friend whom the author then blocked.
 */
const SEES: Record<Who, Record<Kind, boolean>> = {
  author: { everyone: true, friends: true, self: true },
  friend: { everyone: true, friends: true, self: false },
  stranger: { everyone: true, friends: false, self: false },
  blocked: { everyone: false, friends: false, self: false },
  shunned: { everyone: false, friends: false, self: false },
};
const WHO: Who[] = ['author', 'friend', 'stranger', 'blocked', 'shunned'];
const KINDS: Kind[] = ['everyone', 'friends', 'self'];
const MATRIX = WHO.flatMap((who) => KINDS.map((kind) => ({ who, kind, sees: SEES[who][kind] })));

describe.each(testDialects())('moments visibility (%s)', (dialect) => {
  let app: App;
  const users = {} as Record<Who, TestUser>;
  const posts = {} as Record<Kind, string>;

  beforeAll(async () => {
    app = await buildTestApp({ dialect });
    for (const who of WHO) users[who] = await registerUser(app, { nickname: who });
    await befriend(app, users.author, users.friend);
    await befriend(app, users.author, users.blocked);
    await befriend(app, users.author, users.shunned);
    // Every post starts public, so each viewer comments and likes, and the author replies to each:
    // every viewer then has a notification about every post.
    for (const kind of KINDS) {
      posts[kind] = await post(app, users.author, 'everyone', `${kind} 帖子`);
      for (const who of WHO.filter((w) => w !== 'author')) {
        const c = await mustCall(
          app,
          'moments.comment',
          { postId: posts[kind], text: `${who} 评论` },
          users[who].accessToken,
        );
        await mustCall(app, 'moments.like', { postId: posts[kind] }, users[who].accessToken);
        await mustCall(
          app,
          'moments.comment',
          { postId: posts[kind], text: '谢谢', replyToCommentId: c.id },
          users.author.accessToken,
        );
      }
      if (kind !== 'everyone')
        await mustCall(
          app,
          'moments.setVisibility',
          { id: posts[kind], visibility: kind },
          users.author.accessToken,
        );
    }
    await mustCall(app, 'friends.block', { userId: users.author.userId }, users.blocked.accessToken);
    await mustCall(app, 'friends.block', { userId: users.shunned.userId }, users.author.accessToken);
  });
  afterAll(() => app.close());

  const token = (who: Who) => users[who].accessToken;
  const feedIds = async (who: Who, scope: 'everyone' | 'friends' | 'mine') =>
    (await mustCall(app, 'moments.feed', { scope, limit: 50 }, token(who))).items.map((m) => m.id);

  it.each(MATRIX)('feed everyone: $who sees the $kind post: $sees', async ({ who, kind, sees }) => {
    expect((await feedIds(who, 'everyone')).includes(posts[kind])).toBe(sees);
  });

  it.each(MATRIX)('feed friends: $who, $kind post', async ({ who, kind, sees }) => {
    // Only the author's own posts and their friends' appear in the friends feed.
    const expected = sees && (who === 'author' || who === 'friend');
    expect((await feedIds(who, 'friends')).includes(posts[kind])).toBe(expected);
  });

  it.each(MATRIX)('feed mine: $who, $kind post', async ({ who, kind }) => {
    expect((await feedIds(who, 'mine')).includes(posts[kind])).toBe(who === 'author');
  });

  it.each(MATRIX)('userPosts of the author: $who sees the $kind post: $sees', async ({ who, kind, sees }) => {
    const page = await mustCall(app, 'moments.userPosts', { userId: users.author.userId }, token(who));
    expect(page.items.some((m) => m.id === posts[kind])).toBe(sees);
  });

  it.each(MATRIX)('get, comments, likes: $who, $kind post: $sees', async ({ who, kind, sees }) => {
    for (const op of ['moments.get', 'moments.comments', 'moments.likes'] as const) {
      const input = op === 'moments.get' ? { id: posts[kind] } : { postId: posts[kind] };
      const res = await callOp(app, op, input, token(who));
      expect(sees ? res.status : errorOf(res).code, op).toBe(sees ? 200 : 'MOMENT_NOT_FOUND');
    }
  });

  it.each(MATRIX)('search: $who finds the $kind post: $sees', async ({ who, kind, sees }) => {
    const page = await mustCall(app, 'moments.search', { q: `${kind} 帖子`, limit: 50 }, token(who));
    expect(page.items.some((m) => m.id === posts[kind])).toBe(sees);
  });

  it.each(MATRIX.filter((m) => m.who !== 'author'))(
    'notifications: $who keeps the one about the $kind post: $sees',
    async ({ who, kind, sees }) => {
      const page = await mustCall(app, 'moments.notifications', { limit: 50 }, token(who));
      expect(page.items.some((n) => n.postId === posts[kind] && n.kind === 'reply')).toBe(sees);
    },
  );

  it.each(MATRIX.filter((m) => !m.sees))(
    '$who cannot like, comment on or report the $kind post',
    async ({ who, kind }) => {
      const comments = () =>
        mustCall(app, 'moments.comments', { postId: posts[kind], limit: 50 }, token('author'));
      const likes = () => mustCall(app, 'moments.likes', { postId: posts[kind] }, token('author'));
      const [commentsBefore, likesBefore] = [await comments(), await likes()];
      const missing = await callOp(
        app,
        'moments.comment',
        { postId: 'no-such-post', text: '看不见' },
        token(who),
      );
      const hidden = await callOp(
        app,
        'moments.comment',
        { postId: posts[kind], text: '看不见' },
        token(who),
      );
      expect(errorOf(hidden)).toEqual(errorOf(missing));
      expect(errorOf(hidden).code).toBe('MOMENT_NOT_FOUND');
      expect(errorOf(await callOp(app, 'moments.like', { postId: posts[kind] }, token(who))).code).toBe(
        'MOMENT_NOT_FOUND',
      );
      expect(
        errorOf(await callOp(app, 'moments.report', { postId: posts[kind], reason: '不当' }, token(who)))
          .code,
      ).toBe('MOMENT_NOT_FOUND');
      // Nothing changed: the author sees the same comments and likes as before.
      expect(await comments()).toEqual(commentsBefore);
      expect(await likes()).toEqual(likesBefore);
    },
  );

  it('the author sees the chosen visibility; nobody else does', async () => {
    const mine = await mustCall(app, 'moments.get', { id: posts.friends }, token('author'));
    const theirs = await mustCall(app, 'moments.get', { id: posts.friends }, token('friend'));
    expect(mine.visibility).toBe('friends');
    expect(theirs.visibility).toBeNull();
  });

  it('the author sees the likes and comments of everyone but the users on either side of a block', async () => {
    const got = await mustCall(app, 'moments.get', { id: posts.everyone }, token('author'));
    const likers = got.likes.map((l) => l.userId).sort();
    expect(likers).toEqual([users.friend.userId, users.stranger.userId].sort());
    const hidden = [users.blocked.userId, users.shunned.userId];
    expect(got.comments.some((c) => hidden.includes(c.authorId))).toBe(false);
    const notes = await mustCall(app, 'moments.notifications', { limit: 50 }, token('author'));
    expect(notes.items.some((n) => n.actorId !== null && hidden.includes(n.actorId))).toBe(false);
    expect(notes.items.some((n) => n.actorId === users.stranger.userId)).toBe(true);
  });

  it("a friend of the author sees only the author's, their own and their friends' comments and likes", async () => {
    const [mutual, outsider] = [await registerUser(app), await registerUser(app)];
    await befriend(app, users.author, mutual);
    await befriend(app, users.author, outsider);
    await befriend(app, users.friend, mutual);
    const id = await post(app, users.author, 'friends', '评论可见性');
    for (const u of [users.author, users.friend, mutual, outsider]) {
      await mustCall(app, 'moments.comment', { postId: id, text: `来自 ${u.userId}` }, u.accessToken);
      await mustCall(app, 'moments.like', { postId: id }, u.accessToken);
    }
    const expected = [users.author.userId, users.friend.userId, mutual.userId].sort();
    const seenBy = async (u: TestUser) => {
      const comments = await mustCall(app, 'moments.comments', { postId: id, limit: 50 }, u.accessToken);
      const likes = await mustCall(app, 'moments.likes', { postId: id }, u.accessToken);
      const got = await mustCall(app, 'moments.get', { id }, u.accessToken);
      return {
        comments: comments.items.map((c) => c.authorId).sort(),
        likes: likes.items.map((l) => l.userId).sort(),
        inline: got.comments.map((c) => c.authorId).sort(),
        count: got.commentCount,
      };
    };
    expect(await seenBy(users.friend)).toEqual({
      comments: expected,
      likes: expected,
      inline: expected,
      count: 3,
    });
    const all = [...expected, outsider.userId].sort();
    expect(await seenBy(users.author)).toEqual({ comments: all, likes: all, inline: all, count: 4 });
    // The outsider is nobody's friend but the author's: only the author's and their own.
    const own = [users.author.userId, outsider.userId].sort();
    expect(await seenBy(outsider)).toEqual({ comments: own, likes: own, inline: own, count: 2 });
  });
});
