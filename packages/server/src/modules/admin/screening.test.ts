import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../app.ts';
import { buildTestApp, testDialects } from '../../testing/app.ts';
import {
  adminUser,
  callOp,
  errorOf,
  mustCall,
  registerUser,
  staffUser,
  type TestUser,
} from '../../testing/factories.ts';
import { phoneKey } from './index.ts';

const DAY_MS = 86_400_000;

describe('phoneKey', () => {
  it('treats a mainland mobile number the same under any prefix, and other numbers as themselves', () => {
    expect(phoneKey('+8613812345678')).toBe('13812345678');
    expect(phoneKey('+13812345678')).toBe('13812345678');
    expect(phoneKey('+442071838750')).toBe('+442071838750');
    expect(phoneKey('+85213812345678')).toBe('+85213812345678');
    expect(phoneKey('purged:abc')).toBeNull();
  });
});

describe.each(testDialects())('invalid-user screening (%s)', (dialect) => {
  let app: App;
  let admin: TestUser;
  let operator: TestUser;

  async function age(
    userId: string,
    fields: { createdDaysAgo?: number; activeDaysAgo?: number },
  ): Promise<void> {
    const now = Date.now();
    await app.platform.db
      .updateTable('users')
      .set({
        ...(fields.createdDaysAgo !== undefined ? { created_at: now - fields.createdDaysAgo * DAY_MS } : {}),
        ...(fields.activeDaysAgo !== undefined
          ? { last_active_at: now - fields.activeDaysAgo * DAY_MS }
          : {}),
      })
      .where('id', '=', userId)
      .execute();
  }

  beforeAll(async () => {
    app = await buildTestApp({ dialect });
    admin = await adminUser(app);
    operator = await staffUser(app, 'operator');
  });
  afterAll(() => app.close());

  it('previews who matches each rule, applies keep and purge, and frees the seats', async () => {
    const national = `13${randomInt(100_000_000, 999_999_999)}`;
    const imported = await app.services.auth.provisionUser({
      phone: `139${randomInt(10_000_000, 99_999_999)}`,
      nickname: '从未登录',
    });
    await age(imported.userId, { createdDaysAgo: 40 });
    const fresh = await app.services.auth.provisionUser({
      phone: `137${randomInt(10_000_000, 99_999_999)}`,
      nickname: '新导入',
    });
    const idle = await registerUser(app, { nickname: '久未活跃' });
    await age(idle.userId, { createdDaysAgo: 400, activeDaysAgo: 200 });
    const off = await registerUser(app, { nickname: '已停用' });
    await mustCall(
      app,
      'admin.users.setDisabled',
      { userId: off.userId, disabled: true },
      operator.accessToken,
    );
    const dupOld = await registerUser(app, { phone: `+${national}`, nickname: '重复旧号' });
    await age(dupOld.userId, { activeDaysAgo: 3 });
    const dupKept = await registerUser(app, { phone: `+86${national}`, nickname: '重复保留' });
    const gone = await registerUser(app, { nickname: '已离职' });
    await mustCall(app, 'admin.users.setLeft', { userId: gone.userId, left: true }, operator.accessToken);
    const fine = await registerUser(app, { nickname: '正常用户' });
    await age(operator.userId, { activeDaysAgo: 300 });
    const chat = await mustCall(app, 'conversations.openDirect', { userId: fine.userId }, gone.accessToken);
    await mustCall(
      app,
      'messages.send',
      { conversationId: chat.id, clientId: 'before-purge', content: { kind: 'text', text: '交接文档已发' } },
      gone.accessToken,
    );

    const preview = await mustCall(
      app,
      'admin.screening.preview',
      {
        rules: {
          neverActivatedDays: 30,
          inactiveDays: 90,
          disabled: true,
          duplicatePhone: true,
          leftOrganisation: true,
        },
      },
      operator.accessToken,
    );
    const rulesOf = new Map(preview.candidates.map((c) => [c.user.id, c.rules]));
    expect(rulesOf.get(imported.userId)).toEqual(['neverActivated']);
    expect(rulesOf.get(idle.userId)).toEqual(['inactive']);
    expect(rulesOf.get(off.userId)).toEqual(['disabled']);
    expect(rulesOf.get(dupOld.userId)).toEqual(['duplicatePhone']);
    expect(rulesOf.get(gone.userId)).toEqual(['leftOrganisation']);
    for (const kept of [fresh.userId, dupKept.userId, fine.userId, operator.userId, admin.userId]) {
      expect(rulesOf.has(kept), kept).toBe(false);
    }
    expect(preview.candidates.find((c) => c.user.id === idle.userId)?.user.lastActiveAt).toBeLessThan(
      Date.now() - 199 * DAY_MS,
    );
    // Only the rules asked for are applied.
    const onlyDisabled = await mustCall(
      app,
      'admin.screening.preview',
      { rules: { disabled: true } },
      operator.accessToken,
    );
    expect(onlyDisabled.candidates.map((c) => c.user.id)).toEqual([off.userId]);
    expect(
      errorOf(await callOp(app, 'admin.screening.preview', { rules: {} }, operator.accessToken)),
    ).toEqual({
      status: 400,
      code: 'VALIDATION_FAILED',
    });

    const before = await mustCall(app, 'license.get', {}, operator.accessToken);
    const kept = await mustCall(
      app,
      'admin.screening.apply',
      { userIds: [imported.userId, idle.userId, dupOld.userId, admin.userId], policy: 'keep' },
      admin.accessToken,
    );
    expect(kept.deactivated).toEqual([imported.userId, idle.userId, dupOld.userId]);
    expect(kept.skipped).toEqual([admin.userId]);
    const after = await mustCall(app, 'license.get', {}, operator.accessToken);
    expect(after.used).toBe(before.used - 3);
    expect((await callOp(app, 'users.me', {}, idle.accessToken)).status).toBe(401);
    const login = await callOp(app, 'auth.loginPassword', {
      phone: idle.phone,
      password: idle.password,
      device: { deviceId: 'screened', name: 'x', platform: 'web' },
    });
    expect(errorOf(login)).toEqual({ status: 403, code: 'ACCOUNT_DISABLED' });
    const listed = await mustCall(app, 'admin.users.list', { status: 'deactivated' }, operator.accessToken);
    expect(listed.users.map((u) => u.id).sort()).toEqual(
      [imported.userId, idle.userId, dupOld.userId].sort(),
    );
    // Deactivated users are not screened again.
    const again = await mustCall(
      app,
      'admin.screening.preview',
      { rules: { inactiveDays: 90 } },
      operator.accessToken,
    );
    expect(again.candidates.map((c) => c.user.id)).not.toContain(idle.userId);

    const purged = await mustCall(
      app,
      'admin.screening.apply',
      { userIds: [gone.userId], policy: 'purge' },
      admin.accessToken,
    );
    expect(purged.deactivated).toEqual([gone.userId]);
    const [profile] = (await mustCall(app, 'users.profiles', { ids: gone.userId }, fine.accessToken)).users;
    expect(profile).toMatchObject({
      nickname: '已注销用户',
      avatarFileId: null,
      signature: '',
      account: null,
    });
    const detail = await mustCall(app, 'admin.users.get', { userId: gone.userId }, operator.accessToken);
    expect(detail.user.phoneMasked).toBe('');
    expect(detail.user.status).toBe('deactivated');
    // The number is free again; the messages stay.
    const again2 = await app.services.auth.provisionUser({ phone: gone.phone, nickname: '重新入职' });
    expect(again2.userId).not.toBe(gone.userId);
    const history = await mustCall(app, 'messages.history', { conversationId: chat.id }, fine.accessToken);
    expect(history.messages.map((m) => m.senderId)).toContain(gone.userId);

    const audit = await mustCall(
      app,
      'audit.list',
      { action: 'admin.screening.deactivated' },
      admin.accessToken,
    );
    expect(audit.records.map((r) => r.targetIds)).toEqual([
      [gone.userId],
      [imported.userId, idle.userId, dupOld.userId],
    ]);
    expect(audit.records[0]?.details).toMatchObject({ policy: 'purge' });
  });
});
