import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../app.ts';
import { buildTestApp, testDialects } from '../../testing/app.ts';
import {
  callOp,
  errorOf,
  loginUser,
  mustCall,
  randomPhone,
  registerUser,
  type TestUser,
} from '../../testing/factories.ts';

describe.each(testDialects())('directory (%s)', (dialect) => {
  let app: App;
  let admin: TestUser;
  let user: TestUser;

  beforeAll(async () => {
    app = await buildTestApp({ dialect });
    const phone = randomPhone();
    await app.services.auth.createAdmin({ phone, password: 'admin-password-1' });
    admin = await loginUser(app, phone, 'admin-password-1');
    user = await registerUser(app, { nickname: '普通用户' });
  });
  afterAll(() => app.close());

  const tree = async () => (await mustCall(app, 'directory.tree', {}, user.accessToken)).departments;
  const create = (parentId: string | null, name: string) =>
    mustCall(app, 'directory.createDepartment', { parentId, name }, admin.accessToken);

  describe('the department tree', () => {
    it('creates nested departments, unique by name among siblings', async () => {
      const hq = await create(null, '树总部');
      const rd = await create(hq.id, '研发');
      expect(rd).toMatchObject({ parentId: hq.id, name: '研发', memberCount: 0, totalCount: 0 });
      expect(
        errorOf(
          await callOp(
            app,
            'directory.createDepartment',
            { parentId: hq.id, name: '研发' },
            admin.accessToken,
          ),
        ),
      ).toEqual({ status: 409, code: 'CONFLICT' });
      expect(
        errorOf(
          await callOp(app, 'directory.createDepartment', { parentId: null, name: 'a/b' }, admin.accessToken),
        ).code,
      ).toBe('VALIDATION_FAILED');
      expect(
        errorOf(
          await callOp(
            app,
            'directory.createDepartment',
            { parentId: 'NOPE00000000000000000000AA', name: 'x' },
            admin.accessToken,
          ),
        ),
      ).toEqual({ status: 404, code: 'NOT_FOUND' });
      expect((await tree()).filter((d) => d.name === '研发')).toHaveLength(1);
    });

    it('refuses to move a department into its own subtree, changing nothing', async () => {
      const a = await create(null, '环A');
      const b = await create(a.id, '环B');
      const c = await create(b.id, '环C');
      const before = await tree();
      for (const parentId of [a.id, c.id]) {
        expect(
          errorOf(await callOp(app, 'directory.moveDepartment', { id: a.id, parentId }, admin.accessToken)),
        ).toEqual({ status: 422, code: 'DEPARTMENT_CYCLE' });
      }
      expect(await tree()).toEqual(before);
      // A legal move carries the subtree along: C is still under B, now under the top level.
      const moved = await mustCall(
        app,
        'directory.moveDepartment',
        { id: b.id, parentId: null },
        admin.accessToken,
      );
      expect(moved.parentId).toBeNull();
      await mustCall(
        app,
        'directory.setUserDepartments',
        {
          userId: user.userId,
          departments: [{ departmentId: c.id, title: '工程师', primary: true }],
        },
        admin.accessToken,
      );
      const members = await mustCall(
        app,
        'directory.members',
        { departmentId: b.id, recursive: true },
        user.accessToken,
      );
      expect(members.members.map((m) => [m.profile.id, m.departmentId, m.title])).toEqual([
        [user.userId, c.id, '工程师'],
      ]);
      const inA = await mustCall(
        app,
        'directory.members',
        { departmentId: a.id, recursive: true },
        user.accessToken,
      );
      expect(inA.members).toEqual([]);
    });

    it('deletes only empty departments', async () => {
      const p = await create(null, '删父');
      const child = await create(p.id, '删子');
      expect(
        errorOf(await callOp(app, 'directory.deleteDepartment', { id: p.id }, admin.accessToken)),
      ).toEqual({ status: 409, code: 'DEPARTMENT_NOT_EMPTY' });
      const member = await registerUser(app);
      await mustCall(
        app,
        'directory.setUserDepartments',
        {
          userId: member.userId,
          departments: [{ departmentId: child.id, title: '', primary: false }],
        },
        admin.accessToken,
      );
      expect(
        errorOf(await callOp(app, 'directory.deleteDepartment', { id: child.id }, admin.accessToken)).code,
      ).toBe('DEPARTMENT_NOT_EMPTY');
      expect((await tree()).find((d) => d.id === p.id)).toMatchObject({ memberCount: 0, totalCount: 1 });
      await mustCall(
        app,
        'directory.setUserDepartments',
        { userId: member.userId, departments: [] },
        admin.accessToken,
      );
      await mustCall(app, 'directory.deleteDepartment', { id: child.id }, admin.accessToken);
      await mustCall(app, 'directory.deleteDepartment', { id: p.id }, admin.accessToken);
      expect((await tree()).map((d) => d.id)).not.toContain(p.id);
    });

    it('keeps one primary department per user and names the path', async () => {
      const top = await create(null, '主部门');
      const sub = await create(top.id, '副部门');
      const set = await mustCall(
        app,
        'directory.setUserDepartments',
        {
          userId: user.userId,
          departments: [
            { departmentId: top.id, title: '经理', primary: false },
            { departmentId: sub.id, title: '组长', primary: true },
          ],
        },
        admin.accessToken,
      );
      expect(set.departments).toEqual([
        { departmentId: sub.id, path: ['主部门', '副部门'], title: '组长', primary: true },
        { departmentId: top.id, path: ['主部门'], title: '经理', primary: false },
      ]);
      const twoPrimaries = await callOp(
        app,
        'directory.setUserDepartments',
        {
          userId: user.userId,
          departments: [
            { departmentId: top.id, title: '', primary: true },
            { departmentId: sub.id, title: '', primary: true },
          ],
        },
        admin.accessToken,
      );
      expect(errorOf(twoPrimaries).code).toBe('VALIDATION_FAILED');
      expect(
        await mustCall(app, 'directory.userDepartments', { userId: user.userId }, user.accessToken),
      ).toEqual(set);
    });
  });

  describe('CSV import', () => {
    const p1 = randomPhone();
    const p2 = randomPhone();
    const csv = [
      'phone,nickname,department,title',
      `${p1},张三,导入总部/研发中心/前端组,前端工程师`,
      `${p2},李四,导入总部/研发中心,总监`,
      'not-a-phone,王五,导入总部,职员',
      `${randomPhone()},,导入总部,职员`,
      `${randomPhone()},赵六,导入总部//空,职员`,
      `"${p1}","张三","导入总部/市场部","顾问, 兼职"`,
    ].join('\r\n');

    it('takes a CSV larger than the default 1 MiB request body (an organisation-wide import)', async () => {
      // Regression: the schema allowed 4 M characters but the server's 1 MiB body limit refused the request.
      const big = ['phone,nickname,department,title']
        .concat(
          Array.from(
            { length: 24_000 },
            (_, i) => `not-a-phone-${i},导入用户名称${i},导入总部/研发中心,工程师`,
          ),
        )
        .join('\n');
      expect(Buffer.byteLength(JSON.stringify({ csv: big, dryRun: true }))).toBeGreaterThan(1024 * 1024);
      const report = await mustCall(
        app,
        'directory.importCsv',
        { csv: big, dryRun: true },
        admin.accessToken,
      );
      expect(report).toMatchObject({ dryRun: true, created: 0, refused: 24_000 });
    });

    it('dry run reports what would happen and changes nothing', async () => {
      const before = await tree();
      const report = await mustCall(app, 'directory.importCsv', { csv, dryRun: true }, admin.accessToken);
      expect(report).toMatchObject({ dryRun: true, created: 2, updated: 1, unchanged: 0, refused: 3 });
      expect(report.lines.map((l) => [l.line, l.action])).toEqual([
        [2, 'create'],
        [3, 'create'],
        [4, 'refused'],
        [5, 'refused'],
        [6, 'refused'],
        [7, 'update'],
      ]);
      expect(report.lines.find((l) => l.line === 4)?.reason).toBe('invalid phone number');
      expect(report.departmentsCreated).toEqual([
        '导入总部',
        '导入总部/研发中心',
        '导入总部/研发中心/前端组',
        '导入总部/市场部',
      ]);
      expect(await tree()).toEqual(before);
      expect(await app.services.users.accountByPhone(p1)).toBeNull();
    });

    it('imports: creates departments and password-less users, skips bad lines', async () => {
      const report = await mustCall(app, 'directory.importCsv', { csv, dryRun: false }, admin.accessToken);
      expect(report).toMatchObject({ dryRun: false, created: 2, updated: 1, refused: 3 });
      const deps = await tree();
      const hq = deps.find((d) => d.name === '导入总部' && d.parentId === null);
      const front = deps.find((d) => d.name === '前端组');
      expect(hq).toMatchObject({ totalCount: 2, memberCount: 0 });
      const zhang = await app.services.users.accountByPhone(p1);
      expect(zhang).toMatchObject({ nickname: '张三', role: 'user', passwordHash: '' });
      const mine = await mustCall(app, 'directory.userDepartments', { userId: zhang!.id }, user.accessToken);
      expect(mine.departments).toEqual([
        {
          departmentId: front!.id,
          path: ['导入总部', '研发中心', '前端组'],
          title: '前端工程师',
          primary: true,
        },
        {
          departmentId: expect.any(String),
          path: ['导入总部', '市场部'],
          title: '顾问, 兼职',
          primary: false,
        },
      ]);
      // No password: a password login never works, whatever is tried.
      expect(
        errorOf(
          await callOp(app, 'auth.loginPassword', {
            phone: p1,
            password: 'anything-at-all',
            device: { deviceId: 'dev-import-1', name: 't', platform: 'web' },
          }),
        ).code,
      ).toBe('INVALID_CREDENTIALS');
    });

    it('is idempotent: a second run changes nothing', async () => {
      const before = await tree();
      const report = await mustCall(app, 'directory.importCsv', { csv, dryRun: false }, admin.accessToken);
      expect(report).toMatchObject({
        created: 0,
        updated: 0,
        unchanged: 3,
        refused: 3,
        departmentsCreated: [],
      });
      expect(await tree()).toEqual(before);
    });

    it('refuses a line when the license is exhausted, creating nothing for it', async () => {
      const small = await buildTestApp({ dialect, config: { license: { maxUsers: 1 } } });
      try {
        const phone = randomPhone();
        await small.services.auth.createAdmin({ phone, password: 'admin-password-1' });
        const boss = await loginUser(small, phone, 'admin-password-1');
        const report = await mustCall(
          small,
          'directory.importCsv',
          { csv: `${randomPhone()},新人,许可部门,职员`, dryRun: false },
          boss.accessToken,
        );
        expect(report.lines).toMatchObject([{ line: 1, action: 'refused', reason: 'LICENSE_EXHAUSTED' }]);
        expect((await mustCall(small, 'directory.tree', {}, boss.accessToken)).departments).toEqual([]);
      } finally {
        await small.close();
      }
    });
  });

  describe('members and access', () => {
    it('pages through members and searches by name or title', async () => {
      const dep = await create(null, '分页部');
      const people = [];
      for (let i = 0; i < 5; i++) {
        const u = await registerUser(app, { nickname: `成员${i}` });
        people.push(u.userId);
        await mustCall(
          app,
          'directory.setUserDepartments',
          {
            userId: u.userId,
            departments: [{ departmentId: dep.id, title: i === 3 ? '架构师' : '工程师', primary: true }],
          },
          admin.accessToken,
        );
      }
      const seen: string[] = [];
      let cursor: string | undefined;
      for (;;) {
        const page = await mustCall(
          app,
          'directory.members',
          { departmentId: dep.id, limit: 2, ...(cursor ? { cursor } : {}) },
          user.accessToken,
        );
        seen.push(...page.members.map((m) => m.profile.id));
        if (!page.nextCursor) break;
        cursor = page.nextCursor;
      }
      expect(seen).toEqual([...people].sort());
      const found = await mustCall(
        app,
        'directory.members',
        { departmentId: dep.id, q: '架构' },
        user.accessToken,
      );
      expect(found.members.map((m) => m.profile.nickname)).toEqual(['成员3']);
      expect(
        errorOf(
          await callOp(app, 'directory.members', { departmentId: dep.id, cursor: '!!' }, user.accessToken),
        ),
      ).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    });

    it('refuses the admin operations to ordinary users, changing nothing', async () => {
      const before = await tree();
      const some = before[0]!;
      const calls = [
        callOp(app, 'directory.createDepartment', { parentId: null, name: '越权' }, user.accessToken),
        callOp(app, 'directory.updateDepartment', { id: some.id, name: '越权' }, user.accessToken),
        callOp(app, 'directory.moveDepartment', { id: some.id, parentId: null }, user.accessToken),
        callOp(app, 'directory.deleteDepartment', { id: some.id }, user.accessToken),
        callOp(
          app,
          'directory.setUserDepartments',
          { userId: user.userId, departments: [] },
          user.accessToken,
        ),
        callOp(
          app,
          'directory.importCsv',
          { csv: `${randomPhone()},x,越权,y`, dryRun: false },
          user.accessToken,
        ),
        callOp(app, 'directory.ldapConfig', {}, user.accessToken),
      ];
      for (const res of await Promise.all(calls))
        expect(errorOf(res)).toEqual({ status: 403, code: 'FORBIDDEN' });
      expect(await tree()).toEqual(before);
    });
  });
});
