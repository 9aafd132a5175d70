import type { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../app.ts';
import { buildTestApp, testDialects } from '../../testing/app.ts';
import { adminUser, mustCall, registerUser, staffUser, type TestUser } from '../../testing/factories.ts';
import { befriend } from '../../testing/friends.ts';

const DAY = 86_400_000;
/** More than two pages of the export's reads (500 users a page). */
const BULK_USERS = 1_200;

function arrayBufferOf(b: Buffer): ArrayBuffer {
  return new Uint8Array(b).buffer;
}

async function download(app: App, url: string, token?: string) {
  return app.http.inject({
    method: 'GET',
    url,
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
}

describe.each(testDialects())('exports (%s)', (dialect) => {
  let app: App;
  let operator: TestUser;
  let admin: TestUser;
  let user: TestUser;
  let alice: TestUser;
  let range: { from: number; to: number };

  beforeAll(async () => {
    app = await buildTestApp({ dialect });
    admin = await adminUser(app);
    operator = await staffUser(app, 'operator');
    user = await registerUser(app, { nickname: '=HYPERLINK("http://evil")' });
    alice = await registerUser(app, { nickname: '张三, "老张"' });
    await mustCall(app, 'users.setAccount', { account: 'zhangsan01' }, alice.accessToken);
    await befriend(app, alice, user);
    await mustCall(app, 'groups.create', { title: '项目组', memberIds: [user.userId] }, alice.accessToken);
    const direct = await mustCall(
      app,
      'conversations.openDirect',
      { userId: user.userId },
      alice.accessToken,
    );
    for (let i = 0; i < 3; i++) {
      await mustCall(
        app,
        'messages.send',
        {
          conversationId: direct.id,
          clientId: `export-${i}-${Date.now()}`,
          content: { kind: 'text', text: `第${i}条` },
        },
        alice.accessToken,
      );
    }
    const dep = await mustCall(
      app,
      'directory.createDepartment',
      { parentId: null, name: '市场部' },
      admin.accessToken,
    );
    await mustCall(
      app,
      'directory.setUserDepartments',
      { userId: alice.userId, departments: [{ departmentId: dep.id, title: '经理', primary: true }] },
      admin.accessToken,
    );
    for (let i = 0; i < BULK_USERS; i++) {
      await app.services.users.createAccount({
        phone: `+8613${String(700_000_000 + i)}`,
        passwordHash: '',
        nickname: `批量用户${i}`,
        role: 'user',
      });
    }
    await app.services.stats.flush();
    range = { from: Date.now() - DAY, to: Date.now() + DAY };
  });
  afterAll(() => app.close());

  const totalUsers = () => BULK_USERS + 4; // admin, operator, user, alice (the operations account is left out)

  it('exports registered users as CSV: BOM, Chinese intact, formula-safe, full phones, audited', async () => {
    const res = await download(app, '/api/v1/exports/users.csv', operator.accessToken);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="zhixin-.*-users\.csv"$/);
    const bytes = res.rawPayload;
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parse(bytes.toString('utf8'), { bom: true, columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(totalUsers());
    expect(Object.keys(rows[0]!)).toEqual([
      '用户ID',
      '手机号',
      '昵称',
      '致信号',
      '部门',
      '角色',
      '状态',
      '注册时间',
      '最后活跃',
    ]);
    const a = rows.find((r) => r['用户ID'] === alice.userId)!;
    expect(a).toMatchObject({
      手机号: alice.phone.replace('+86', ''),
      昵称: '张三, "老张"',
      致信号: 'zhangsan01',
      部门: '市场部',
      角色: '用户',
      状态: '正常',
    });
    expect(a['注册时间']).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    expect(rows.find((r) => r['用户ID'] === user.userId)!['昵称']).toBe(`'=HYPERLINK("http://evil")`);
    expect(rows.find((r) => r['用户ID'] === operator.userId)!['角色']).toBe('运营');
    const audit = await mustCall(app, 'audit.list', { category: 'admin' }, admin.accessToken);
    const record = audit.records.find((r) => r.action === 'admin.export.users');
    expect(record).toMatchObject({ actorId: operator.userId, subject: 'users.csv' });
    expect(record!.details).toMatchObject({ format: 'csv', rows: totalUsers() });
  });

  it('exports registered users as XLSX that exceljs reads back', async () => {
    const res = await download(app, '/api/v1/exports/users.xlsx', admin.accessToken);
    expect(res.statusCode).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(arrayBufferOf(res.rawPayload));
    const sheet = book.getWorksheet('注册用户')!;
    expect(sheet.rowCount).toBe(totalUsers() + 1);
    expect(sheet.getRow(1).values).toEqual([
      undefined,
      '用户ID',
      '手机号',
      '昵称',
      '致信号',
      '部门',
      '角色',
      '状态',
      '注册时间',
      '最后活跃',
    ]);
    const found = sheet.getRows(2, totalUsers())!.find((r) => r.getCell(1).value === alice.userId)!;
    expect(found.getCell(3).value).toBe('张三, "老张"');
    expect(found.getCell(5).value).toBe('市场部');
    const evil = sheet.getRows(2, totalUsers())!.find((r) => r.getCell(1).value === user.userId)!;
    // A typed string, not a formula.
    expect(evil.getCell(3).type).toBe(ExcelJS.ValueType.String);
  });

  it('exports the users active in a range with days and messages sent (CSV and XLSX)', async () => {
    const q = `from=${range.from}&to=${range.to}`;
    const res = await download(app, `/api/v1/exports/active.csv?${q}`, operator.accessToken);
    expect(res.statusCode).toBe(200);
    const rows = parse(res.rawPayload.toString('utf8'), { bom: true, columns: true }) as Record<
      string,
      string
    >[];
    const a = rows.find((r) => r['用户ID'] === alice.userId)!;
    expect(a).toMatchObject({ 活跃天数: '1', 发送消息数: '3', 部门: '市场部' });
    expect(rows.some((r) => r['昵称']?.startsWith('批量用户'))).toBe(false);
    const x = await download(app, `/api/v1/exports/active.xlsx?${q}`, operator.accessToken);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(arrayBufferOf(x.rawPayload));
    expect(book.getWorksheet('活跃用户')!.rowCount).toBe(rows.length + 1);
  });

  it('exports behaviour profiles as JSON lines for every user', async () => {
    const res = await download(
      app,
      `/api/v1/exports/profiles.jsonl?from=${range.from}&to=${range.to}`,
      operator.accessToken,
    );
    expect(res.statusCode).toBe(200);
    const lines = res.payload
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(totalUsers());
    expect(lines.find((l) => l.userId === alice.userId)).toMatchObject({
      department: '市场部',
      friends: 1,
      groups: 1,
      messagesSent: 3,
      activeDays: 1,
    });
    expect(lines.find((l) => l.userId === user.userId)).toMatchObject({
      friends: 1,
      groups: 1,
      messagesSent: 0,
    });
  });

  it('streams: the first bytes arrive before the export has read every page', async () => {
    const res = await app.http.inject({
      method: 'GET',
      url: '/api/v1/exports/users.csv',
      headers: { authorization: `Bearer ${operator.accessToken}` },
      payloadAsStream: true,
    });
    expect(res.headers['content-length']).toBeUndefined();
    const stream = res.stream() as Readable;
    const before = (await mustCall(app, 'audit.list', { category: 'admin' }, admin.accessToken)).records
      .length;
    const chunks: Buffer[] = [];
    let firstChunkWhileRunning = false;
    for await (const chunk of stream) {
      if (!chunks.length) {
        // Nothing is audited until the last row is written: the export is still running.
        const now = (await mustCall(app, 'audit.list', { category: 'admin' }, admin.accessToken)).records
          .length;
        firstChunkWhileRunning = now === before;
      }
      chunks.push(chunk as Buffer);
    }
    expect(firstChunkWhileRunning).toBe(true);
    expect(chunks.length).toBeGreaterThan(1);
    const rows = parse(Buffer.concat(chunks).toString('utf8'), { bom: true, columns: true }) as unknown[];
    expect(rows).toHaveLength(totalUsers());
  });

  it('hands browsers a short-lived ticket bound to one export and range', async () => {
    const t = await mustCall(
      app,
      'exports.ticket',
      { kind: 'active', format: 'csv', ...range },
      operator.accessToken,
    );
    expect(t.url).toMatch(/^\/api\/v1\/exports\/active\.csv\?ticket=/);
    expect(t.expiresAt).toBeGreaterThan(Date.now());
    expect((await download(app, t.url)).statusCode).toBe(200);
    // Another export, or another range, with the same ticket: refused.
    const ticket = new URL(t.url, 'http://x').searchParams.get('ticket')!;
    expect((await download(app, `/api/v1/exports/users.csv?ticket=${ticket}`)).statusCode).toBe(401);
    expect(
      (
        await download(
          app,
          `/api/v1/exports/active.csv?ticket=${ticket}&from=${range.from + 1}&to=${range.to}`,
        )
      ).statusCode,
    ).toBe(401);
    expect(
      (
        await download(
          app,
          `/api/v1/exports/active.csv?ticket=${ticket.slice(0, -2)}xx&from=${range.from}&to=${range.to}`,
        )
      ).statusCode,
    ).toBe(401);
    // A demoted operator's tickets stop working.
    const other = await staffUser(app, 'operator');
    const t2 = await mustCall(app, 'exports.ticket', { kind: 'users', format: 'xlsx' }, other.accessToken);
    await app.platform.db.updateTable('users').set({ role: 'user' }).where('id', '=', other.userId).execute();
    expect((await download(app, t2.url)).statusCode).toBe(403);
  });

  it('describes the exports', async () => {
    const { exports } = await mustCall(app, 'exports.catalog', {}, operator.accessToken);
    expect(exports.map((e) => [e.kind, e.paths])).toEqual([
      ['users', ['/exports/users.xlsx', '/exports/users.csv']],
      ['active', ['/exports/active.xlsx', '/exports/active.csv']],
      ['profiles', ['/exports/profiles.jsonl']],
    ]);
  });

  it('refuses users (403), anonymous callers (401) and bad requests (400)', async () => {
    expect((await download(app, '/api/v1/exports/users.csv', user.accessToken)).statusCode).toBe(403);
    expect((await download(app, '/api/v1/exports/users.csv')).statusCode).toBe(401);
    expect(JSON.parse((await download(app, '/api/v1/exports/users.csv')).payload)).toMatchObject({
      error: { code: 'UNAUTHENTICATED' },
    });
    expect((await download(app, '/api/v1/exports/active.csv', operator.accessToken)).statusCode).toBe(400);
    expect(
      (
        await download(
          app,
          `/api/v1/exports/active.csv?from=${range.to}&to=${range.from}`,
          operator.accessToken,
        )
      ).statusCode,
    ).toBe(400);
    expect(
      (await download(app, `/api/v1/exports/active.csv?from=0&to=${400 * DAY}`, operator.accessToken))
        .statusCode,
    ).toBe(400);
    expect(
      (await download(app, `/api/v1/exports/active.csv?from=abc&to=1`, operator.accessToken)).statusCode,
    ).toBe(400);
    expect((await download(app, '/api/v1/exports/users.pdf', operator.accessToken)).statusCode).toBe(404);
    for (const op of ['exports.catalog', 'exports.ticket'] as const) {
      const body = op === 'exports.ticket' ? { kind: 'users', format: 'csv' } : {};
      const res = await app.http.inject({
        method: op === 'exports.ticket' ? 'POST' : 'GET',
        url: op === 'exports.ticket' ? '/api/v1/exports/tickets' : '/api/v1/exports',
        headers: { authorization: `Bearer ${user.accessToken}` },
        ...(op === 'exports.ticket' ? { payload: body } : {}),
      });
      expect(res.statusCode).toBe(403);
    }
    const bad = await app.http.inject({
      method: 'POST',
      url: '/api/v1/exports/tickets',
      headers: { authorization: `Bearer ${operator.accessToken}` },
      payload: { kind: 'profiles', format: 'xlsx', ...range },
    });
    expect(bad.statusCode).toBe(400);
  });
});
