import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Broadcast, Message } from '@zhixin/protocol';
import { describe, expect, it } from 'vitest';
import type { App } from '../../app.ts';
import { freshDatabaseUrl } from '../../platform/db/testing.ts';
import { buildTestApp, testDialects } from '../../testing/app.ts';
import { connectDevice } from '../../testing/devices.ts';
import { loginUser, mustCall, registerUser, type TestUser } from '../../testing/factories.ts';
import { adminUser, seedQuietUsers } from './opsaccount.testing.ts';

const RECIPIENTS = 2_000;
const BATCH = 200;

async function progress(app: App, admin: TestUser, id: string): Promise<Broadcast> {
  const { broadcasts } = await mustCall(app, 'opsAccount.broadcasts', {}, admin.accessToken);
  const b = broadcasts.find((x) => x.id === id);
  if (!b) throw new Error(`broadcast ${id} not listed`);
  return b;
}

async function until(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Copies of a broadcast in the store, per recipient conversation. */
async function copies(app: App, opsId: string, broadcastId: string): Promise<Map<string, number>> {
  const rows = await app.platform.db
    .selectFrom('messages')
    .select('conversation_id')
    .where('sender_id', '=', opsId)
    .where('client_id', 'like', `b-${broadcastId}-%`)
    .execute();
  const out = new Map<string, number>();
  for (const r of rows) out.set(r.conversation_id, (out.get(r.conversation_id) ?? 0) + 1);
  return out;
}

describe.each(testDialects())('department broadcasts of the operations account (%s)', (dialect) => {
  it(`reaches ${RECIPIENTS.toLocaleString('en')} users in batches, online ones live, and resumes after a restart without duplicates`, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'zx-ops-'));
    const databaseUrl = await freshDatabaseUrl(dialect);
    const config = { opsAccount: { batchSize: BATCH, batchPauseMs: 30 } };
    let app = await buildTestApp({ dialect, dataDir, databaseUrl, config });
    const port = await app.listen();
    const admin = await adminUser(app);
    const online = await registerUser(app);
    const device = await connectDevice(port, online);
    const quiet = await seedQuietUsers(app, RECIPIENTS - 1);
    // A department of everyone but the administrator (everyone at once goes to the channel instead).
    const department = await app.services.directory.createDepartment(null, '全体员工');
    for (const userId of [online.userId, ...quiet])
      await app.services.directory.setUserDepartments(userId, [
        { departmentId: department.id, title: '', primary: true },
      ]);
    const opsId = (await mustCall(app, 'opsAccount.info', {}, online.accessToken)).userId;
    const total = RECIPIENTS;
    const target = { departmentId: department.id };

    const started = await mustCall(
      app,
      'opsAccount.send',
      { target, text: '系统将于今晚升级' },
      admin.accessToken,
    );
    expect(started).toMatchObject({ status: 'running', total, delivered: 0, target });
    const live = (await device.nextEvent('message.created.v1', 60_000)) as Message;
    expect(live).toMatchObject({ senderId: opsId, content: { kind: 'text', text: '系统将于今晚升级' } });

    // Stop the server part way, as a crash or deploy would: some batches stored, others not.
    await until(async () => (await progress(app, admin, started.id)).delivered >= 2 * BATCH, 60_000);
    const midway = await progress(app, admin, started.id);
    expect(midway.status).toBe('running');
    expect(midway.delivered).toBeLessThan(total);
    device.ws.close();
    await app.close();

    // A new start picks the broadcast up from its stored cursor.
    app = await buildTestApp({ dialect, dataDir, databaseUrl, config });
    try {
      const adminAgain = { ...admin, ...(await adminSession(app, admin)) };
      await until(async () => (await progress(app, adminAgain, started.id)).status === 'done', 120_000);
      const done = await progress(app, adminAgain, started.id);
      expect(done).toMatchObject({ delivered: total, total, finishedAt: expect.any(Number) });
      const stored = await copies(app, opsId, started.id);
      expect(stored.size).toBe(total);
      expect([...stored.values()].every((n) => n === 1)).toBe(true);
      // A recipient finds it in the official chat when they next look; the administrator, outside
      // the department, does not.
      const onlineAgain = await loginUser(app, online.phone, online.password);
      const last = async (user: Pick<TestUser, 'accessToken'>) => {
        const info = await mustCall(app, 'opsAccount.info', {}, user.accessToken);
        const chat = await mustCall(
          app,
          'conversations.get',
          { conversationId: info.conversationId },
          user.accessToken,
        );
        return chat.lastMessage;
      };
      expect(await last(onlineAgain)).toMatchObject({
        senderId: opsId,
        content: { text: '系统将于今晚升级' },
      });
      expect(await last(adminAgain)).toBeNull();
    } finally {
      await app.close();
    }
  }, 240_000);
});

/** Log the same administrator in against the restarted app. */
async function adminSession(app: App, admin: TestUser): Promise<Pick<TestUser, 'accessToken'>> {
  const again = await loginUser(app, admin.phone, admin.password);
  return { accessToken: again.accessToken };
}
