import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../app.ts';
import { codeSignerFor } from '../../platform/crypto/signed-codes.ts';
import { claimLease } from '../../platform/scheduler.ts';
import { buildTestApp, testDialects } from '../../testing/app.ts';
import { connectDevice, type TestDevice } from '../../testing/devices.ts';
import { callOp, loginUser, randomPhone, registerUser, type TestUser } from '../../testing/factories.ts';
import {
  eventsNamed,
  recordEvents,
  restClient,
  text,
  type RecordedEvent,
  type TestClient,
} from './messaging.testing.ts';

const DAY_MS = 86_400_000;

/** Group codes (QR), joining by code, temporary groups and their cleanup. */
describe.each(testDialects())('group codes and temporary groups (%s)', (dialect) => {
  let app: App;
  let port: number;
  let events: RecordedEvent[];
  let owner: TestClient;
  let member: TestClient;
  let stranger: TestUser;
  let strangerWs: TestDevice;
  let operator: TestUser;

  beforeAll(async () => {
    app = await buildTestApp({ dialect });
    port = await app.listen();
    events = recordEvents(app);
    [owner, member] = await Promise.all([restClient(app), restClient(app)]);
    stranger = await registerUser(app);
    strangerWs = await connectDevice(port, stranger);
    const phone = randomPhone();
    await app.services.auth.createAdmin({ phone, password: 'admin-password' });
    operator = await loginUser(app, phone, 'admin-password');
  });
  afterAll(async () => {
    strangerWs.ws.close();
    await app.close();
  });

  /** A request over the stranger's WebSocket: the response body, or the error. */
  async function ws(op: string, body: unknown): Promise<{ body?: Record<string, unknown>; error?: unknown }> {
    const frame = await strangerWs.request(op, body);
    return frame.ok === true ? { body: frame.body as Record<string, unknown> } : { error: frame.error };
  }

  it('shows members a 7-day code; a stranger previews and joins by it over the WebSocket', async () => {
    const g = await owner.call('groups.create', { title: '扫码群', memberIds: [member.userId] });
    expect(await restClient(app).then((x) => x.fail('groups.code', { conversationId: g.id }))).toMatchObject({
      code: 'NOT_MEMBER',
    });
    const before = Date.now();
    const { code, expiresAt } = await member.call('groups.code', { conversationId: g.id });
    expect(code.startsWith('ZX1.g.')).toBe(true);
    expect(expiresAt).toBeGreaterThanOrEqual(before + 7 * DAY_MS);
    const preview = await ws('groups.preview', { code });
    expect(preview.body).toMatchObject({
      conversationId: g.id,
      title: '扫码群',
      memberCount: 2,
      member: false,
    });
    const mark = events.length;
    const joined = await ws('groups.joinByCode', { code });
    expect(joined.body).toMatchObject({ status: 'joined', conversation: { id: g.id, role: 'member' } });
    const changed = eventsNamed(events, 'conversation.changed.v1', mark).find(
      (e) => e.body.reason === 'members',
    );
    expect(changed?.recipients).toEqual(expect.arrayContaining([owner.userId, member.userId]));
    expect(eventsNamed(events, 'message.created.v1', mark)[0]?.body.content).toMatchObject({
      kind: 'system',
      event: 'joined',
      userIds: [stranger.userId],
    });
    // Joining again is harmless.
    expect((await ws('groups.joinByCode', { code })).body).toMatchObject({ status: 'joined' });
    expect((await owner.call('conversations.get', { conversationId: g.id })).memberCount).toBe(3);
  });

  it('refuses forged, expired and refreshed codes with nothing changed', async () => {
    const g = await owner.call('groups.create', { title: 'codes', memberIds: [member.userId] });
    const { code } = await owner.call('groups.code', { conversationId: g.id });
    const forged = code.slice(0, -2) + (code.endsWith('A') ? 'BB' : 'AA');
    expect((await ws('groups.joinByCode', { code: forged })).error).toMatchObject({ code: 'CODE_INVALID' });
    expect((await ws('groups.preview', { code: 'ZX1.g.e30.nope' })).error).toMatchObject({
      code: 'CODE_INVALID',
    });
    const signer = codeSignerFor(app.platform.keyring);
    const expired = signer.sign({ kind: 'g', subject: g.id, version: 1, expiresAt: Date.now() - 1000 });
    const res = await callOp(app, 'groups.joinByCode', { code: expired }, stranger.accessToken);
    expect(res).toMatchObject({ status: 410, body: { error: { code: 'CODE_EXPIRED' } } });
    // A user's code is not a group code.
    const userCode = signer.sign({ kind: 'u', subject: g.id, version: 1, expiresAt: null });
    expect((await ws('groups.joinByCode', { code: userCode })).error).toMatchObject({ code: 'CODE_INVALID' });

    expect(await member.fail('groups.refreshCode', { conversationId: g.id })).toMatchObject({
      code: 'FORBIDDEN',
    });
    const fresh = await owner.call('groups.refreshCode', { conversationId: g.id });
    expect(fresh.code).not.toBe(code);
    expect((await ws('groups.joinByCode', { code })).error).toMatchObject({ code: 'CODE_INVALID' });
    expect((await owner.call('conversations.get', { conversationId: g.id })).memberCount).toBe(2);
    expect((await ws('groups.joinByCode', { code: fresh.code })).body).toMatchObject({ status: 'joined' });
  });

  it('turns a join by code into a request when approval is required', async () => {
    const g = await owner.call('groups.create', { title: 'approval', memberIds: [member.userId] });
    await owner.call('groups.setJoinApproval', { conversationId: g.id, required: true });
    const { code } = await member.call('groups.code', { conversationId: g.id });
    expect((await ws('groups.preview', { code })).body).toMatchObject({ joinApproval: true, member: false });
    expect((await ws('groups.joinByCode', { code })).body).toEqual({
      status: 'requested',
      conversation: null,
    });
    const { requests } = await owner.call('groups.joinRequests', { conversationId: g.id });
    expect(requests).toEqual([expect.objectContaining({ userId: stranger.userId, inviterId: null })]);
    expect((await owner.call('conversations.get', { conversationId: g.id })).memberCount).toBe(2);
    await owner.call('groups.approveJoin', { conversationId: g.id, requestId: requests[0]!.id });
    expect((await ws('groups.preview', { code })).body).toMatchObject({ member: true, memberCount: 3 });
  });

  it('refuses codes of a dissolved group', async () => {
    const g = await owner.call('groups.create', { title: 'gone', memberIds: [member.userId] });
    const { code } = await owner.call('groups.code', { conversationId: g.id });
    await owner.call('groups.dissolve', { conversationId: g.id });
    expect((await ws('groups.joinByCode', { code })).error).toMatchObject({ code: 'GROUP_DISSOLVED' });
  });

  it('lists temporary groups for administrators and dissolves idle ones (dry run changes nothing)', async () => {
    const idle = await owner.call('groups.create', {
      title: '临时任务',
      memberIds: [member.userId],
      temporary: true,
    });
    const busy = await owner.call('groups.create', {
      title: '还在用',
      memberIds: [member.userId],
      temporary: true,
    });
    const kept = await owner.call('groups.create', { title: '普通群', memberIds: [member.userId] });
    expect(idle.group?.temporary).toBe(true);
    expect(kept.group?.temporary).toBe(false);
    const longAgo = Date.now() - 8 * DAY_MS;
    await app.platform.db
      .updateTable('conversations')
      .set({ updated_at: longAgo })
      .where('id', 'in', [idle.id, kept.id])
      .execute();
    await owner.call('messages.send', text(busy.id, 'still working'));

    const denied = await callOp(app, 'groups.cleanupTemporary', { dryRun: true }, stranger.accessToken);
    expect(denied.body.error?.code).toBe('FORBIDDEN');
    const listed = await callOp(app, 'groups.temporary', {}, operator.accessToken);
    const mine = listed.body.groups.filter((g) => [idle.id, busy.id].includes(g.conversationId));
    expect(mine.map((g) => [g.conversationId, g.idle])).toEqual([
      [busy.id, false],
      [idle.id, true],
    ]);

    const dry = await callOp(app, 'groups.cleanupTemporary', { dryRun: true }, operator.accessToken);
    expect(dry.body.groups.map((g) => g.conversationId)).toEqual([idle.id]);
    expect(
      (await member.call('conversations.get', { conversationId: idle.id })).group?.dissolvedAt,
    ).toBeNull();
    await member.call('messages.send', text(kept.id, 'ordinary groups never expire'));

    // The dry run's send above touched only `kept`; `idle` is still idle.
    const mark = events.length;
    const real = await callOp(app, 'groups.cleanupTemporary', { dryRun: false }, operator.accessToken);
    expect(real.body.groups.map((g) => g.conversationId)).toEqual([idle.id]);
    expect(real.body.groups[0]?.dissolvedAt).toBeTypeOf('number');
    const told = eventsNamed(events, 'conversation.changed.v1', mark).find(
      (e) => e.body.reason === 'dissolved',
    );
    expect(new Set(told?.recipients)).toEqual(new Set([owner.userId, member.userId]));
    expect(eventsNamed(events, 'message.created.v1', mark)[0]?.body.content).toMatchObject({
      kind: 'system',
      event: 'expired',
    });
    expect(await member.fail('messages.send', text(idle.id, 'too late'))).toMatchObject({
      code: 'GROUP_DISSOLVED',
    });
    expect((await member.call('messages.history', { conversationId: idle.id })).messages).toHaveLength(1);
    await member.call('messages.send', text(busy.id, 'busy lives on'));
    const again = await callOp(app, 'groups.cleanupTemporary', { dryRun: false }, operator.accessToken);
    expect(again.body.groups.map((g) => g.conversationId)).not.toContain(idle.id);
  });

  it('lets one node at a time hold a job lease until it runs out', async () => {
    const t = Date.now();
    const db = app.platform.db;
    expect(await claimLease(db, 'test.job', 'node-a', 1000, t)).toBe(true);
    expect(await claimLease(db, 'test.job', 'node-b', 1000, t + 10)).toBe(false);
    expect(await claimLease(db, 'test.job', 'node-a', 1000, t + 500)).toBe(true);
    expect(await claimLease(db, 'test.job', 'node-b', 1000, t + 1400)).toBe(false);
    expect(await claimLease(db, 'test.job', 'node-b', 1000, t + 1600)).toBe(true);
    expect(await claimLease(db, 'test.job', 'node-a', 1000, t + 1700)).toBe(false);
  });
});
