import type { OpName } from '@zhixin/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../app.ts';
import { buildTestApp, testDialects } from '../../testing/app.ts';
import {
  adminUser,
  callOp,
  errorOf,
  registerUser,
  staffUser,
  type TestUser,
} from '../../testing/factories.ts';

/** Every operation of this module and the license's, with a valid request, and who may call it. */
function requests(
  target: string,
  groupId: string,
): Array<[OpName, Record<string, unknown>, 'operator' | 'admin']> {
  return [
    ['admin.users.list', {}, 'operator'],
    ['admin.users.get', { userId: target }, 'operator'],
    ['admin.users.setDisabled', { userId: target, disabled: false }, 'operator'],
    ['admin.users.resetPassword', { userId: target, password: 'new-password-1' }, 'operator'],
    ['admin.users.logout', { userId: target }, 'operator'],
    ['admin.users.setDepartments', { userId: target, departments: [] }, 'operator'],
    ['admin.users.setRole', { userId: target, role: 'user' }, 'admin'],
    ['admin.users.setLeft', { userId: target, left: false }, 'operator'],
    ['admin.groups.list', {}, 'operator'],
    ['admin.groups.members', { conversationId: groupId }, 'operator'],
    ['admin.screening.preview', { rules: { disabled: true } }, 'operator'],
    ['admin.screening.apply', { userIds: ['nobody-at-all'], policy: 'keep' }, 'admin'],
    ['license.get', {}, 'operator'],
  ];
}

describe.each(testDialects())('admin operations: who may call them (%s)', (dialect) => {
  let app: App;
  let admin: TestUser;
  let operator: TestUser;
  let auditor: TestUser;
  let plain: TestUser;
  let target: TestUser;
  let groupId: string;

  beforeAll(async () => {
    app = await buildTestApp({ dialect });
    admin = await adminUser(app);
    operator = await staffUser(app, 'operator');
    auditor = await staffUser(app, 'auditor');
    plain = await registerUser(app);
    target = await registerUser(app);
    const group = await callOp(
      app,
      'groups.create',
      { title: '权限测试群', memberIds: [target.userId] },
      plain.accessToken,
    );
    groupId = (group.body as { id: string }).id;
  });
  afterAll(() => app.close());

  it('lets the allowed roles call every operation and refuses everyone else', async () => {
    for (const [op, body, access] of requests(target.userId, groupId)) {
      expect(errorOf(await callOp(app, op, body)), `${op} anonymous`).toEqual({
        status: 401,
        code: 'UNAUTHENTICATED',
      });
      for (const who of [plain, auditor]) {
        expect(errorOf(await callOp(app, op, body, who.accessToken)), `${op} user/auditor`).toEqual({
          status: 403,
          code: 'FORBIDDEN',
        });
      }
      const opRes = await callOp(app, op, body, operator.accessToken);
      if (access === 'admin')
        expect(errorOf(opRes), `${op} operator`).toEqual({ status: 403, code: 'FORBIDDEN' });
      else expect(opRes.status, `${op} operator: ${JSON.stringify(opRes.body)}`).toBe(200);
      const adminRes = await callOp(app, op, body, admin.accessToken);
      expect(adminRes.status, `${op} admin: ${JSON.stringify(adminRes.body)}`).toBe(200);
    }
  });

  // Regression: an operator could reset an administrator's password (and read the generated one),
  // then sign in as that administrator; or disable and sign out every administrator.
  it("refuses an operator acting on a staff account's password, sessions or status", async () => {
    const otherAdmin = await adminUser(app);
    const otherOperator = await staffUser(app, 'operator');
    for (const staff of [otherAdmin, otherOperator, auditor]) {
      const attempts: Array<[OpName, Record<string, unknown>]> = [
        ['admin.users.resetPassword', { userId: staff.userId }],
        ['admin.users.setDisabled', { userId: staff.userId, disabled: true }],
        ['admin.users.logout', { userId: staff.userId }],
      ];
      for (const [op, body] of attempts) {
        expect(errorOf(await callOp(app, op, body, operator.accessToken)), `${op} on staff`).toEqual({
          status: 403,
          code: 'FORBIDDEN',
        });
      }
      // Nothing changed: the staff member still signs in with their password and is not disabled.
      const detail = await callOp(app, 'admin.users.get', { userId: staff.userId }, admin.accessToken);
      expect((detail.body as { user: { status: string } }).user.status).toBe('active');
      expect((await callOp(app, 'users.me', {}, staff.accessToken)).status).toBe(200);
    }
    // An administrator may.
    const reset = await callOp(
      app,
      'admin.users.resetPassword',
      { userId: otherOperator.userId },
      admin.accessToken,
    );
    expect(reset.status).toBe(200);
  });

  it('lets operators dissolve a group and only administrators install a license', async () => {
    const create = await callOp(
      app,
      'groups.create',
      { title: '待解散', memberIds: [target.userId] },
      plain.accessToken,
    );
    const id = (create.body as { id: string }).id;
    expect(errorOf(await callOp(app, 'admin.groups.dissolve', { conversationId: id }))).toEqual({
      status: 401,
      code: 'UNAUTHENTICATED',
    });
    expect(
      errorOf(await callOp(app, 'admin.groups.dissolve', { conversationId: id }, auditor.accessToken)).status,
    ).toBe(403);
    expect(
      (await callOp(app, 'admin.groups.dissolve', { conversationId: id }, operator.accessToken)).status,
    ).toBe(200);
    const install = { text: '{"format":"zhixin-license/1","payload":"e30=","signature":"AA=="}' };
    expect(errorOf(await callOp(app, 'license.install', install, operator.accessToken))).toEqual({
      status: 403,
      code: 'FORBIDDEN',
    });
    expect(errorOf(await callOp(app, 'license.install', install))).toEqual({
      status: 401,
      code: 'UNAUTHENTICATED',
    });
    // An administrator gets through the access check to the verification, which refuses this file.
    expect(errorOf(await callOp(app, 'license.install', install, admin.accessToken))).toEqual({
      status: 422,
      code: 'LICENSE_INVALID',
    });
  });
});
