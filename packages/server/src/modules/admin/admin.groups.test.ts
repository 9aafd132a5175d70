import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../app.ts';
import { buildTestApp, testDialects } from '../../testing/app.ts';
import { connectDevice } from '../../testing/devices.ts';
import {
  adminUser,
  callOp,
  errorOf,
  mustCall,
  registerUser,
  staffUser,
  type TestUser,
} from '../../testing/factories.ts';

describe.each(testDialects())('group administration (%s)', (dialect) => {
  let app: App;
  let port: number;
  let operator: TestUser;
  let admin: TestUser;

  beforeAll(async () => {
    app = await buildTestApp({ dialect });
    port = await app.listen();
    operator = await staffUser(app, 'operator');
    admin = await adminUser(app);
  });
  afterAll(() => app.close());

  it('lists every group with owner, members and state, searchable by name', async () => {
    const owner = await registerUser(app, { nickname: '群主甲' });
    const member = await registerUser(app);
    const team = await mustCall(
      app,
      'groups.create',
      { title: '项目_100%组', memberIds: [member.userId] },
      owner.accessToken,
    );
    await mustCall(
      app,
      'groups.create',
      { title: '临时讨论', memberIds: [member.userId], temporary: true },
      owner.accessToken,
    );
    const found = await mustCall(app, 'admin.groups.list', { q: '_100%' }, operator.accessToken);
    expect(found.groups).toHaveLength(1);
    expect(found.groups[0]).toMatchObject({
      conversationId: team.id,
      title: '项目_100%组',
      ownerId: owner.userId,
      ownerNickname: '群主甲',
      memberCount: 2,
      temporary: false,
      dissolvedAt: null,
    });
    const temporary = await mustCall(app, 'admin.groups.list', { temporary: true }, operator.accessToken);
    expect(temporary.groups.map((g) => g.title)).toContain('临时讨论');
    expect(temporary.groups.every((g) => g.temporary)).toBe(true);
    const members = await mustCall(
      app,
      'admin.groups.members',
      { conversationId: team.id },
      operator.accessToken,
    );
    expect(members.members.map((m) => [m.userId, m.role])).toEqual([
      [owner.userId, 'owner'],
      [member.userId, 'member'],
    ]);
    expect(
      errorOf(
        await callOp(app, 'admin.groups.members', { conversationId: 'no-such-group' }, operator.accessToken),
      ),
    ).toEqual({
      status: 404,
      code: 'NOT_FOUND',
    });
  });

  it('dissolves a group as an operator: members get the system message, the action is audited', async () => {
    const owner = await registerUser(app);
    const member = await registerUser(app);
    const group = await mustCall(
      app,
      'groups.create',
      { title: '违规群', memberIds: [member.userId] },
      owner.accessToken,
    );
    const device = await connectDevice(port, member);
    const done = await mustCall(
      app,
      'admin.groups.dissolve',
      { conversationId: group.id },
      operator.accessToken,
    );
    expect(done.dissolvedAt).not.toBeNull();
    const message = (await device.nextEvent('message.created.v1')) as {
      content: { kind: string; event: string; actorId: string };
    };
    expect(message.content).toMatchObject({ kind: 'system', event: 'dissolved', actorId: operator.userId });
    const send = await callOp(
      app,
      'messages.send',
      { conversationId: group.id, clientId: 'after-dissolve', content: { kind: 'text', text: '还在吗' } },
      member.accessToken,
    );
    expect(errorOf(send)).toEqual({ status: 410, code: 'GROUP_DISSOLVED' });
    const again = await callOp(
      app,
      'admin.groups.dissolve',
      { conversationId: group.id },
      operator.accessToken,
    );
    expect(errorOf(again)).toEqual({ status: 410, code: 'GROUP_DISSOLVED' });
    const audit = await mustCall(
      app,
      'audit.list',
      { action: 'admin.admin.groups.dissolve' },
      admin.accessToken,
    );
    expect(audit.records.map((r) => [r.actorId, r.conversationId])).toEqual([[operator.userId, group.id]]);
    device.ws.close();
  });
});
