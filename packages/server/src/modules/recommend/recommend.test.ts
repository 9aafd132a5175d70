import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../app.ts';
import { buildTestApp, testDialects } from '../../testing/app.ts';
import {
  adminUser,
  callOp,
  errorOf,
  mustCall,
  registerUser,
  type TestUser,
} from '../../testing/factories.ts';
import { befriend } from '../../testing/friends.ts';

describe.each(testDialects())('friend recommendation (%s)', (dialect) => {
  let app: App;
  let me: TestUser;
  const u: Record<string, TestUser> = {};

  const recommend = async (who: TestUser = me) =>
    (await mustCall(app, 'friends.recommendations', {}, who.accessToken)).items;
  const ids = async (who?: TestUser) => (await recommend(who)).map((r) => r.user.id);

  beforeAll(async () => {
    app = await buildTestApp({ dialect });
    me = await registerUser(app, { nickname: '我' });
    for (const name of ['f1', 'f2', 'f3', 'a', 'b', 'c', 'd', 'e', 'g', 'h', 'i', 'x'])
      u[name] = await registerUser(app, { nickname: name });
    const at = (n: string) => u[n]!;
    // My friends.
    for (const f of ['f1', 'f2', 'f3']) await befriend(app, me, at(f));
    // a: friend of all three of my friends.
    for (const f of ['f1', 'f2', 'f3']) await befriend(app, at(f), at('a'));
    // b: one mutual friend, a group with me, and my department.
    await befriend(app, at('f1'), at('b'));
    // e (I block them) and g (they block me): two mutual friends each.
    for (const f of ['f1', 'f2']) {
      await befriend(app, at(f), at('e'));
      await befriend(app, at(f), at('g'));
    }
    await mustCall(app, 'friends.block', { userId: at('e').userId }, me.accessToken);
    await mustCall(app, 'friends.block', { userId: me.userId }, at('g').accessToken);
    // h: a mutual friend, but a request of mine is pending; i: a mutual friend, but disabled.
    await befriend(app, at('f1'), at('h'));
    await mustCall(app, 'friends.request', { userId: at('h').userId, message: '你好' }, me.accessToken);
    await befriend(app, at('f1'), at('i'));
    await app.services.auth.setUserDisabled(at('i').userId, true);
    // Groups: b and d with me; d in a second one with me.
    await mustCall(
      app,
      'groups.create',
      { title: '项目组', memberIds: [at('b').userId, at('d').userId] },
      me.accessToken,
    );
    await mustCall(app, 'groups.create', { title: '兴趣组', memberIds: [at('d').userId] }, me.accessToken);
    // Department: me, b and c.
    const admin = await adminUser(app);
    const dep = await mustCall(
      app,
      'directory.createDepartment',
      { parentId: null, name: '研发部' },
      admin.accessToken,
    );
    for (const who of [me, at('b'), at('c')]) {
      await mustCall(
        app,
        'directory.setUserDepartments',
        { userId: who.userId, departments: [{ departmentId: dep.id, title: '', primary: true }] },
        admin.accessToken,
      );
    }
  });
  afterAll(() => app.close());

  it('ranks by mutual friends, shared groups and department, with the reasons', async () => {
    const items = await recommend();
    expect(items.map((r) => r.user.nickname)).toEqual(['a', 'b', 'd', 'c']);
    expect(items.map((r) => r.reasons)).toEqual([
      [{ kind: 'mutualFriends', count: 3 }],
      [
        { kind: 'mutualFriends', count: 1 },
        { kind: 'sharedGroups', count: 1 },
        { kind: 'sameDepartment', department: '研发部' },
      ],
      [{ kind: 'sharedGroups', count: 2 }],
      [{ kind: 'sameDepartment', department: '研发部' }],
    ]);
    expect(items.map((r) => r.score)).toEqual([9, 7, 4, 2]);
  });

  it('leaves out myself, friends, blocked either way, pending requests, disabled and unrelated users', async () => {
    const got = await ids();
    for (const n of ['f1', 'f2', 'f3', 'e', 'g', 'h', 'i', 'x']) expect(got).not.toContain(u[n]!.userId);
    expect(got).not.toContain(me.userId);
    expect(app.services.users.officialIds().some((id) => got.includes(id))).toBe(false);
  });

  it('honours the limit', async () => {
    const res = await mustCall(app, 'friends.recommendations', { limit: 2 }, me.accessToken);
    expect(res.items.map((r) => r.user.nickname)).toEqual(['a', 'b']);
  });

  it('remembers a dismissal, at once and after the cache', async () => {
    await mustCall(app, 'friends.dismissRecommendation', { userId: u.a!.userId }, me.accessToken);
    await mustCall(app, 'friends.dismissRecommendation', { userId: u.a!.userId }, me.accessToken);
    expect((await recommend()).map((r) => r.user.nickname)).toEqual(['b', 'd', 'c']);
    // The dismissal is mine: b, who shares f1 with a, is still offered a.
    expect(await ids(u.b)).toContain(u.a!.userId);
  });

  it('drops someone who became a friend since the list was cached, and re-ranks for the new friend', async () => {
    await befriend(app, u.c!, u.x!);
    await befriend(app, me, u.c!);
    // x is c's friend: offered at once, though my list was ranked (and cached) before c was my friend.
    expect((await recommend()).map((r) => r.user.nickname)).toEqual(['b', 'd', 'x']);
  });

  it('refuses bad input and anonymous callers, changing nothing', async () => {
    expect(
      errorOf(await callOp(app, 'friends.dismissRecommendation', { userId: me.userId }, me.accessToken)),
    ).toEqual({
      status: 400,
      code: 'VALIDATION_FAILED',
    });
    expect(
      errorOf(
        await callOp(
          app,
          'friends.dismissRecommendation',
          { userId: '01J00000000000000000000000' },
          me.accessToken,
        ),
      ),
    ).toEqual({ status: 404, code: 'NOT_FOUND' });
    expect(errorOf(await callOp(app, 'friends.recommendations', { limit: 0 }, me.accessToken))).toEqual({
      status: 400,
      code: 'VALIDATION_FAILED',
    });
    expect(errorOf(await callOp(app, 'friends.recommendations', {}))).toEqual({
      status: 401,
      code: 'UNAUTHENTICATED',
    });
    expect((await recommend()).map((r) => r.user.nickname)).toEqual(['b', 'd', 'x']);
  });
});
