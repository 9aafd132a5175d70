import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../app.ts';
import { buildTestApp, testDialects } from '../../testing/app.ts';
import { connectDevice } from '../../testing/devices.ts';
import {
  adminUser,
  callOp,
  errorOf,
  loginUser,
  mustCall,
  registerUser,
  staffUser,
  type TestUser,
} from '../../testing/factories.ts';

describe.each(testDialects())('user administration (%s)', (dialect) => {
  let app: App;
  let port: number;
  let admin: TestUser;
  let operator: TestUser;

  beforeAll(async () => {
    app = await buildTestApp({ dialect });
    port = await app.listen();
    admin = await adminUser(app);
    operator = await staffUser(app, 'operator');
  });
  afterAll(() => app.close());

  it('finds users by phone (any form), nickname, 致信号, role and status, paginated', async () => {
    const alice = await registerUser(app, { nickname: '检索爱丽丝' });
    await registerUser(app, { nickname: '检索鲍勃' });
    await mustCall(app, 'users.setAccount', { account: 'search_alice' }, alice.accessToken);
    const byPhone = await mustCall(
      app,
      'admin.users.list',
      { q: alice.phone.slice(3) },
      operator.accessToken,
    );
    expect(byPhone.users.map((u) => u.id)).toEqual([alice.userId]);
    expect(byPhone.users[0]?.phoneMasked).toBe(`${alice.phone.slice(3, 6)}****${alice.phone.slice(-4)}`);
    const byName = await mustCall(app, 'admin.users.list', { q: '检索' }, operator.accessToken);
    expect(byName.total).toBe(2);
    const byAccount = await mustCall(app, 'admin.users.list', { q: 'SEARCH_ALI' }, operator.accessToken);
    expect(byAccount.users.map((u) => u.id)).toEqual([alice.userId]);
    const page = await mustCall(
      app,
      'admin.users.list',
      { q: '检索', pageSize: 1, page: 2, sort: 'createdAt', order: 'asc' },
      operator.accessToken,
    );
    expect(page.users.map((u) => u.nickname)).toEqual(['检索鲍勃']);
    const admins = await mustCall(app, 'admin.users.list', { role: 'admin' }, operator.accessToken);
    expect(admins.users.map((u) => u.id)).toContain(admin.userId);
    expect(admins.users.every((u) => u.role === 'admin')).toBe(true);
    const bad = await callOp(app, 'admin.users.list', { pageSize: 0 }, operator.accessToken);
    expect(errorOf(bad)).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
  });

  it('disabling closes live sockets, refuses login and refresh, and enabling restores them', async () => {
    const user = await registerUser(app);
    const device = await connectDevice(port, await loginUser(app, user.phone, user.password));
    const disabled = await mustCall(
      app,
      'admin.users.setDisabled',
      { userId: user.userId, disabled: true },
      operator.accessToken,
    );
    expect(disabled.status).toBe('disabled');
    expect((await device.ws.closed).code).toBe(4003);
    const login = await callOp(app, 'auth.loginPassword', {
      phone: user.phone,
      password: user.password,
      device: { deviceId: 'after-disable', name: 'x', platform: 'web' },
    });
    expect(errorOf(login)).toEqual({ status: 403, code: 'ACCOUNT_DISABLED' });
    const refresh = await callOp(app, 'auth.refresh', { refreshToken: user.refreshToken });
    expect(refresh.status).toBe(401);
    await mustCall(
      app,
      'admin.users.setDisabled',
      { userId: user.userId, disabled: false },
      operator.accessToken,
    );
    expect((await loginUser(app, user.phone, user.password)).userId).toBe(user.userId);
  });

  it('resets a password to a generated one shown once, ending every session', async () => {
    const user = await registerUser(app);
    const res = await mustCall(
      app,
      'admin.users.resetPassword',
      { userId: user.userId },
      operator.accessToken,
    );
    expect(res.generated).toBe(true);
    expect(res.password).toMatch(/.{8,}/);
    expect(errorOf(await callOp(app, 'users.me', {}, user.accessToken))).toEqual({
      status: 401,
      code: 'SESSION_REVOKED',
    });
    expect(
      errorOf(
        await callOp(app, 'auth.loginPassword', {
          phone: user.phone,
          password: user.password,
          device: { deviceId: 'old-password', name: 'x', platform: 'web' },
        }),
      ).code,
    ).toBe('INVALID_CREDENTIALS');
    expect((await loginUser(app, user.phone, res.password!)).userId).toBe(user.userId);
  });

  it('records staff actions in the audit log without the password that was set', async () => {
    const user = await registerUser(app);
    const secret = 'operator-chosen-secret-77';
    const res = await mustCall(
      app,
      'admin.users.resetPassword',
      { userId: user.userId, password: secret },
      operator.accessToken,
    );
    expect(res).toEqual({ password: null, generated: false });
    const page = await mustCall(
      app,
      'audit.list',
      { action: 'admin.admin.users.resetPassword', subject: user.userId },
      admin.accessToken,
    );
    expect(page.records).toHaveLength(1);
    expect(page.records[0]).toMatchObject({
      category: 'admin',
      actorId: operator.userId,
      subject: user.userId,
      details: { request: { userId: user.userId } },
    });
    expect(JSON.stringify(page.records[0])).not.toContain(secret);
    expect((await loginUser(app, user.phone, secret)).userId).toBe(user.userId);
    // Reads are not audited.
    await mustCall(app, 'admin.users.get', { userId: user.userId }, operator.accessToken);
    const reads = await mustCall(app, 'audit.list', { action: 'admin.admin.users.get' }, admin.accessToken);
    expect(reads.records).toHaveLength(0);
  });

  it('forces a user out of one device or all, and lists the devices in the detail', async () => {
    const user = await registerUser(app);
    const second = await loginUser(app, user.phone, user.password);
    const detail = await mustCall(app, 'admin.users.get', { userId: user.userId }, operator.accessToken);
    expect(detail.devices.map((d) => d.sessionId).sort()).toEqual([user.sessionId, second.sessionId].sort());
    const one = await mustCall(
      app,
      'admin.users.logout',
      { userId: user.userId, sessionId: second.sessionId },
      operator.accessToken,
    );
    expect(one.revoked).toBe(1);
    expect((await callOp(app, 'users.me', {}, second.accessToken)).status).toBe(401);
    expect((await callOp(app, 'users.me', {}, user.accessToken)).status).toBe(200);
    const again = await callOp(
      app,
      'admin.users.logout',
      { userId: user.userId, sessionId: second.sessionId },
      operator.accessToken,
    );
    expect(errorOf(again)).toEqual({ status: 404, code: 'NOT_FOUND' });
    expect(
      (await mustCall(app, 'admin.users.logout', { userId: user.userId }, operator.accessToken)).revoked,
    ).toBe(1);
    expect((await callOp(app, 'users.me', {}, user.accessToken)).status).toBe(401);
  });

  it("changes a user's department, visible in the directory", async () => {
    const user = await registerUser(app);
    const dep = await mustCall(
      app,
      'directory.createDepartment',
      { parentId: null, name: `运维部${Date.now()}` },
      admin.accessToken,
    );
    await mustCall(
      app,
      'admin.users.setDepartments',
      { userId: user.userId, departments: [{ departmentId: dep.id, title: '工程师', primary: true }] },
      operator.accessToken,
    );
    const seen = await mustCall(app, 'directory.userDepartments', { userId: user.userId }, user.accessToken);
    expect(seen.departments.map((d) => d.departmentId)).toEqual([dep.id]);
    const listed = await mustCall(app, 'admin.users.list', { departmentId: dep.id }, operator.accessToken);
    expect(listed.users.map((u) => [u.id, u.department])).toEqual([[user.userId, dep.name]]);
  });

  it('sets roles (administrators only): never one’s own, never the last administrator', async () => {
    const user = await registerUser(app);
    const promoted = await mustCall(
      app,
      'admin.users.setRole',
      { userId: user.userId, role: 'auditor' },
      admin.accessToken,
    );
    expect(promoted.role).toBe('auditor');
    // The old token carried the old role: the sessions ended.
    expect((await callOp(app, 'users.me', {}, user.accessToken)).status).toBe(401);
    expect(
      errorOf(
        await callOp(app, 'admin.users.setRole', { userId: admin.userId, role: 'user' }, admin.accessToken),
      ),
    ).toEqual({
      status: 403,
      code: 'FORBIDDEN',
    });
    const solo = await buildTestApp({ dialect });
    try {
      const only = await adminUser(solo);
      // Demoting or disabling oneself is the only way an administrator could remove the last one.
      const self = await callOp(
        solo,
        'admin.users.setRole',
        { userId: only.userId, role: 'user' },
        only.accessToken,
      );
      expect(errorOf(self)).toEqual({ status: 403, code: 'FORBIDDEN' });
      const off = await callOp(
        solo,
        'admin.users.setDisabled',
        { userId: only.userId, disabled: true },
        only.accessToken,
      );
      expect(errorOf(off)).toEqual({ status: 403, code: 'FORBIDDEN' });
      // And underneath, the users service refuses to leave no administrator (concurrent demotions).
      await expect(solo.services.users.admin.setRole(only.userId, 'operator')).rejects.toMatchObject({
        code: 'LAST_ADMIN',
      });
      expect((await mustCall(solo, 'users.me', {}, only.accessToken)).role).toBe('admin');
    } finally {
      await solo.close();
    }
  });
});
