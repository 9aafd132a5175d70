import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../app.ts';
import { newId } from '../../platform/ids.ts';
import { buildTestApp, testDialects } from '../../testing/app.ts';
import { callOp, errorOf, mustCall, registerUser, type TestUser } from '../../testing/factories.ts';
import { befriend } from '../../testing/friends.ts';
import { MomentsRepo } from './index.ts';

describe.each(testDialects())('moments search (%s)', (dialect) => {
  let app: App;
  let author: TestUser;
  let friend: TestUser;
  let stranger: TestUser;

  beforeAll(async () => {
    app = await buildTestApp({ dialect });
    [author, friend, stranger] = [await registerUser(app), await registerUser(app), await registerUser(app)];
    await befriend(app, author, friend);
  });
  afterAll(() => app.close());

  const search = async (u: TestUser, q: string, extra: Record<string, unknown> = {}) =>
    mustCall(app, 'moments.search', { q, ...extra }, u.accessToken);
  const ids = async (u: TestUser, q: string) => (await search(u, q)).items.map((m) => m.id);
  const create = async (text: string, visibility: 'everyone' | 'friends', location?: string) =>
    (
      await mustCall(
        app,
        'moments.create',
        { text, visibility, ...(location ? { location } : {}) },
        author.accessToken,
      )
    ).id;

  it('finds posts by every word of their text or location, newest first, as the viewer may see them', async () => {
    const hills = await create('周末去香山爬山', 'friends', '香山公园');
    const gear = await create('爬山装备清单 Boots', 'everyone');
    await create('今天加班', 'everyone');
    expect(await ids(friend, '爬山')).toEqual([gear, hills]);
    expect(await ids(friend, '香山公园')).toEqual([hills]);
    expect(await ids(friend, '周末  香山')).toEqual([hills]);
    expect(await ids(friend, '爬山 加班')).toEqual([]);
    expect(await ids(friend, 'boots')).toEqual([gear]);
    expect(await ids(stranger, '爬山')).toEqual([gear]);
    // Whose comments a result carries follows the usual rule: the stranger sees the author's and their own.
    await mustCall(app, 'moments.comment', { postId: gear, text: '同去' }, friend.accessToken);
    const [seen] = (await search(stranger, '装备清单')).items;
    expect(seen?.comments).toEqual([]);
    expect((await search(author, '装备清单')).items[0]?.comments.map((c) => c.authorId)).toEqual([
      friend.userId,
    ]);
  });

  it('pages by cursor', async () => {
    const made: string[] = [];
    for (let i = 0; i < 3; i++) made.push(await create(`集训第${i}天`, 'everyone'));
    const first = await search(friend, '集训', { limit: 2 });
    expect(first.items.map((m) => m.id)).toEqual([made[2], made[1]]);
    const next = await search(friend, '集训', { limit: 2, before: first.nextCursor ?? '' });
    expect(next.items.map((m) => m.id)).toEqual([made[0]]);
    expect(next.nextCursor).toBeNull();
  });

  it('looks through a bounded number of posts a call and hands back where to go on from', async () => {
    const [viewer, poster] = [await registerUser(app), await registerUser(app)];
    await befriend(app, viewer, poster);
    const now = Date.now();
    const seeded = Array.from({ length: 1_050 }, (_, i) => ({
      id: newId(now - i * 60_000),
      authorId: poster.userId,
      text: i === 1_049 ? '很久以前的演习照片' : `日常${i}`,
      media: [],
      location: null,
      mentions: [],
      visibility: 'friends' as const,
      createdAt: now - i * 60_000,
    }));
    await new MomentsRepo(app.platform.db, app.platform.keyring, app.platform.dialect).insertMany(seeded);
    const first = await search(viewer, '演习照片');
    expect(first.items).toEqual([]);
    expect(first.nextCursor).not.toBeNull();
    const next = await search(viewer, '演习照片', { before: first.nextCursor ?? '' });
    expect(next.items.map((m) => m.id)).toEqual([seeded[1_049]?.id]);
    expect(next.nextCursor).toBeNull();
  });

  it('refuses an empty, blank or too long query and a malformed cursor', async () => {
    for (const input of [{ q: '' }, { q: '   ' }, { q: '长'.repeat(51) }, { q: '爬山', before: 'bad' }]) {
      const res = await callOp(app, 'moments.search', input, friend.accessToken);
      expect(errorOf(res).code, JSON.stringify(input)).toBe('VALIDATION_FAILED');
    }
  });
});
