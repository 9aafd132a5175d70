import type { Contact } from '@zhixin/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../app.ts';
import { buildTestApp, testDialects } from '../../testing/app.ts';
import { connectDevice, settle, userWithTwoDevices, type TestDevice } from '../../testing/devices.ts';
import { callOp, errorOf, mustCall, registerUser, type TestUser } from '../../testing/factories.ts';
import { befriend } from '../../testing/friends.ts';

describe.each(testDialects())('contacts (%s)', (dialect) => {
  let app: App;
  let port: number;
  let alice: TestUser;
  let aliceDesk: TestDevice;
  let bob: TestUser;
  let carol: TestUser;

  beforeAll(async () => {
    app = await buildTestApp({ dialect });
    port = await app.listen();
    ({ first: alice, second: aliceDesk } = await userWithTwoDevices(app, port, 'Alice'));
    bob = await registerUser(app, { nickname: '鲍勃' });
    carol = await registerUser(app, { nickname: 'Carol' });
  });
  afterAll(async () => {
    aliceDesk.ws.close();
    await app.close();
  });

  // Official accounts sit in everyone's list; these tests are about people.
  const list = async (user: TestUser) =>
    (await mustCall(app, 'contacts.list', {}, user.accessToken)).contacts.filter((c) => !c.profile.official);

  it('gets a contact, with its public profile, once a friend request is accepted, on every device', async () => {
    await befriend(app, bob, alice);
    const [added] = await list(alice);
    expect(added).toEqual({
      userId: bob.userId,
      remark: '',
      profile: { id: bob.userId, nickname: '鲍勃', avatarFileId: null, signature: '', account: null },
      createdAt: expect.any(Number),
      updatedAt: added?.createdAt,
    });
    expect(await aliceDesk.nextEvent('contact.updated.v1')).toEqual(added);
  });

  it('no longer adds strangers: contacts.add answers NOT_FRIENDS and stores nothing', async () => {
    expect(errorOf(await callOp(app, 'contacts.add', { userId: carol.userId }, alice.accessToken))).toEqual({
      status: 403,
      code: 'NOT_FRIENDS',
    });
    expect((await list(alice)).map((c) => c.userId)).toEqual([bob.userId]);
  });

  it('contacts.add on a friend only sets the remark, when one is given', async () => {
    await befriend(app, carol, alice);
    await aliceDesk.nextEvent('contact.updated.v1');
    const first = await mustCall(
      app,
      'contacts.add',
      { userId: carol.userId, remark: '卡罗' },
      alice.accessToken,
    );
    await aliceDesk.nextEvent('contact.updated.v1');
    const mark = aliceDesk.ws.frames.length;
    const again = await mustCall(app, 'contacts.add', { userId: carol.userId }, alice.accessToken);
    expect(again).toEqual(first);
    await settle();
    expect(aliceDesk.ws.frames.slice(mark)).toEqual([]);
    const renamed = await mustCall(
      app,
      'contacts.add',
      { userId: carol.userId, remark: ' 小卡 ' },
      alice.accessToken,
    );
    expect(renamed).toMatchObject({ remark: '小卡', createdAt: first.createdAt });
    expect(await aliceDesk.nextEvent('contact.updated.v1')).toMatchObject({ remark: '小卡' });
  });

  it('refuses myself, unknown and disabled users, and malformed bodies, storing nothing', async () => {
    const before = await list(alice);
    const gone = await registerUser(app);
    await app.services.auth.setUserDisabled(gone.userId, true);
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ userId: alice.userId }, 'CONTACT_SELF'],
      [{ userId: 'NOBODY0000000000000000000' }, 'NOT_FOUND'],
      [{ userId: gone.userId }, 'NOT_FOUND'],
      [{}, 'VALIDATION_FAILED'],
      [{ userId: bob.userId, remark: 'x'.repeat(33) }, 'VALIDATION_FAILED'],
      [{ userId: bob.userId, extra: 1 }, 'VALIDATION_FAILED'],
      [{ userId: 'bad id!' }, 'VALIDATION_FAILED'],
    ];
    for (const [body, code] of cases) {
      expect(
        errorOf(await callOp(app, 'contacts.add', body, alice.accessToken)).code,
        JSON.stringify(body),
      ).toBe(code);
    }
    expect(await list(alice)).toEqual(before);
  });

  it('sets and clears a remark, which shows beside the current nickname', async () => {
    const set = await mustCall(
      app,
      'contacts.setRemark',
      { userId: bob.userId, remark: '老鲍' },
      alice.accessToken,
    );
    expect(set).toMatchObject({ userId: bob.userId, remark: '老鲍', profile: { nickname: '鲍勃' } });
    expect(await aliceDesk.nextEvent('contact.updated.v1')).toMatchObject({ remark: '老鲍' });
    await mustCall(app, 'users.updateMe', { nickname: 'Bobby' }, bob.accessToken);
    const bobEntry = (await list(alice)).find((c) => c.userId === bob.userId);
    expect(bobEntry).toMatchObject({ remark: '老鲍', profile: { nickname: 'Bobby' } });
    const cleared = await mustCall(
      app,
      'contacts.setRemark',
      { userId: bob.userId, remark: '' },
      alice.accessToken,
    );
    expect(cleared.remark).toBe('');
    expect(
      errorOf(
        await callOp(
          app,
          'contacts.setRemark',
          { userId: bob.userId, remark: 'y'.repeat(33) },
          alice.accessToken,
        ),
      ),
    ).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
  });

  it('keeps remarks sealed in the database', async () => {
    await mustCall(app, 'contacts.setRemark', { userId: bob.userId, remark: '机密备注' }, alice.accessToken);
    const row = await app.platform.db
      .selectFrom('contacts')
      .selectAll()
      .where('owner_id', '=', alice.userId)
      .where('contact_id', '=', bob.userId)
      .executeTakeFirstOrThrow();
    expect(row.remark_enc).not.toContain('机密');
    expect(Buffer.from(row.remark_enc, 'base64').toString('utf8')).not.toContain('机密');
  });

  it('keeps my list mine: others neither see nor change it', async () => {
    expect((await list(bob)).map((c) => c.userId)).not.toContain(carol.userId);
    expect(
      errorOf(
        await callOp(
          app,
          'contacts.setRemark',
          { userId: carol.userId, remark: 'intruder' },
          bob.accessToken,
        ),
      ),
    ).toEqual({ status: 404, code: 'NOT_FOUND' });
    expect(errorOf(await callOp(app, 'contacts.remove', { userId: carol.userId }, bob.accessToken))).toEqual({
      status: 404,
      code: 'NOT_FOUND',
    });
    expect((await list(alice)).find((c) => c.userId === carol.userId)?.remark).toBe('小卡');
  });

  it('removes a contact, tells my other devices, and says NOT_FOUND the second time', async () => {
    await mustCall(app, 'contacts.remove', { userId: carol.userId }, alice.accessToken);
    expect(await aliceDesk.nextEvent('contact.removed.v1')).toEqual({ userId: carol.userId });
    expect((await list(alice)).map((c) => c.userId)).not.toContain(carol.userId);
    expect(
      errorOf(await callOp(app, 'contacts.remove', { userId: carol.userId }, alice.accessToken)),
    ).toEqual({
      status: 404,
      code: 'NOT_FOUND',
    });
    // Removing a contact leaves the user alone: a new request makes them friends again.
    await befriend(app, alice, carol);
  });

  it('works over the WebSocket, and the calling device gets the answer, not the event', async () => {
    const dave = await registerUser(app, { nickname: 'Dave' });
    await befriend(app, dave, aliceDesk.user);
    await aliceDesk.nextEvent('contact.updated.v1');
    await settle();
    const mark = aliceDesk.ws.frames.length;
    const res = await aliceDesk.request('contacts.add', { userId: dave.userId, remark: 'D' });
    expect(res).toMatchObject({ ok: true, body: { userId: dave.userId, remark: 'D' } });
    const listed = await aliceDesk.request('contacts.list', {});
    expect((listed.body as { contacts: Contact[] }).contacts.map((c) => c.userId)).toContain(dave.userId);
    const bad = await aliceDesk.request('contacts.add', { userId: aliceDesk.user.userId });
    expect(bad).toMatchObject({ ok: false, error: { code: 'CONTACT_SELF' } });
    await settle();
    expect(aliceDesk.ws.frames.slice(mark).filter((f) => f.type === 'event')).toEqual([]);
  });

  it('lists many contacts in the order they were added', async () => {
    const owner = await registerUser(app);
    const people = await Promise.all(
      Array.from({ length: 5 }, (_, i) => registerUser(app, { nickname: `p${i}` })),
    );
    for (const p of people) await befriend(app, owner, p);
    expect((await list(owner)).map((c) => c.profile.nickname)).toEqual(['p0', 'p1', 'p2', 'p3', 'p4']);
    const desk = await connectDevice(port, owner);
    const overWs = (await desk.request('contacts.list', {})).body as { contacts: Contact[] };
    expect(overWs.contacts.filter((c) => !c.profile.official)).toEqual(await list(owner));
    desk.ws.close();
  });
});
