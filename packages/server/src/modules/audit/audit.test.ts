import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../app.ts';
import { buildTestApp, testDialects } from '../../testing/app.ts';
import { adminUser, callOp, errorOf, mustCall, registerUser, staffUser } from '../../testing/factories.ts';
import pg from 'pg';
import { openDatabase } from '../../platform/db/index.ts';
import { checkRun, GENESIS_HASH } from './audit.chain.ts';
import { rowToChained } from './audit.repo.ts';
import { createAuditLog } from './audit.service.ts';

describe.each(testDialects())('audit log on %s', (dialect) => {
  let app: App;
  beforeAll(async () => {
    app = await buildTestApp({ dialect });
  });
  afterAll(() => app.close());

  it('appends a gapless chain, even when appends race, and verifies it', async () => {
    const before = await app.services.audit.verify();
    expect(before.ok).toBe(true);
    await Promise.all(
      Array.from({ length: 25 }, (_, i) =>
        app.services.audit.append({
          category: 'file',
          action: 'file.upload',
          actorId: null,
          subject: `hash-${i}`,
          details: { name: `报告${i}.pdf`, size: i },
        }),
      ),
    );
    const after = await app.services.audit.verify();
    expect(after).toMatchObject({ ok: true, firstBadSeq: null, headSeq: before.headSeq + 25 });
    expect(after.checked).toBe(before.checked + 25);
  });

  it.runIf(dialect === 'postgres')(
    'takes turns with the other processes of a cluster: all appended, none rolled back',
    async () => {
      const url = app.platform.config.databaseUrl;
      const stats = async () => {
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        try {
          const { rows } = await client.query<{ xact_commit: string; xact_rollback: string }>(
            'select xact_commit, xact_rollback from pg_stat_database where datname = current_database()',
          );
          return { commits: Number(rows[0]!.xact_commit), rollbacks: Number(rows[0]!.xact_rollback) };
        } finally {
          await client.end();
        }
      };
      const before = await app.services.audit.verify();
      const start = await stats();
      // Four "processes" (own pools), each appending one record at a time, all at once: without
      // the chain's lock they read the same head and collide on the seq, rolling back and retrying.
      const processes = Array.from({ length: 4 }, () => openDatabase({ url, pool: { size: 2 } }));
      await Promise.all(
        processes.map(async (database, p) => {
          const log = createAuditLog(database, app.platform.keyring);
          for (let i = 0; i < 15; i++)
            await log.append({
              category: 'file',
              action: 'file.upload',
              actorId: null,
              subject: `p${p}-${i}`,
            });
        }),
      );
      await Promise.all(processes.map((d) => d.close()));
      const after = await app.services.audit.verify();
      expect(after).toMatchObject({ ok: true, headSeq: before.headSeq + 60 });
      // A backend reports its counts when it exits: wait until the 60 appends are counted.
      let end = await stats();
      for (let i = 0; i < 100 && end.commits - start.commits < 60; i++) {
        await new Promise((r) => setTimeout(r, 50));
        end = await stats();
      }
      expect(end.commits - start.commits).toBeGreaterThanOrEqual(60);
      expect(end.rollbacks - start.rollbacks).toBe(0);
    },
  );

  it('finds an edited row, a removed row and a reordered link', async () => {
    const { seq } = await app.services.audit.append({
      category: 'admin',
      action: 'admin.test.edit',
      actorId: null,
      details: { note: 'original' },
    });
    await app.services.audit.append({ category: 'admin', action: 'admin.test.after', actorId: null });
    const db = app.platform.db;
    const original = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('seq', '=', seq)
      .executeTakeFirstOrThrow();
    await db.updateTable('audit_log').set({ action: 'admin.test.forged' }).where('seq', '=', seq).execute();
    expect(await app.services.audit.verify()).toMatchObject({ ok: false, firstBadSeq: seq });
    await db.updateTable('audit_log').set({ action: original.action }).where('seq', '=', seq).execute();
    expect((await app.services.audit.verify()).ok).toBe(true);
    // Sealed details are covered too: swapping them for another record's is detected.
    const other = await db
      .selectFrom('audit_log')
      .select('details_enc')
      .where('seq', '=', seq + 1)
      .executeTakeFirstOrThrow();
    await db
      .updateTable('audit_log')
      .set({ details_enc: other.details_enc })
      .where('seq', '=', seq)
      .execute();
    expect(await app.services.audit.verify()).toMatchObject({ ok: false, firstBadSeq: seq });
    await db
      .updateTable('audit_log')
      .set({ details_enc: original.details_enc })
      .where('seq', '=', seq)
      .execute();
    await db.deleteFrom('audit_log').where('seq', '=', seq).execute();
    const removed = await app.services.audit.verify();
    expect(removed).toMatchObject({ ok: false, firstBadSeq: seq });
    expect(removed.reason).toMatch(/missing/);
    await db.insertInto('audit_log').values(original).execute();
    expect((await app.services.audit.verify()).ok).toBe(true);
  });

  it('lists newest first with filters and paging; details come back unsealed', async () => {
    const actor = await registerUser(app);
    for (let i = 0; i < 5; i++) {
      await app.services.audit.append({
        category: 'file',
        action: i % 2 ? 'file.download' : 'file.send',
        actorId: actor.userId,
        subject: 'abc123',
        targetIds: [actor.userId],
        ip: '10.0.0.1',
        details: { i },
      });
    }
    // The registration itself is evidence too (auth.register): look at this test's file records.
    const page = await app.services.audit.list({ actorId: actor.userId, category: 'file', limit: 3 });
    expect(page.records.map((r) => r.details.i)).toEqual([4, 3, 2]);
    expect(page.nextBeforeSeq).toBe(page.records[2]?.seq);
    const rest = await app.services.audit.list({
      actorId: actor.userId,
      category: 'file',
      beforeSeq: page.nextBeforeSeq ?? 0,
    });
    expect(rest.records.map((r) => r.details.i)).toEqual([1, 0]);
    expect(rest.nextBeforeSeq).toBeNull();
    const downloads = await app.services.audit.list({ actorId: actor.userId, action: 'file.download' });
    expect(downloads.records).toHaveLength(2);
    const files = await app.services.audit.list({ actorId: actor.userId, action: 'file.' });
    expect(files.records).toHaveLength(5);
    expect(files.records[0]).toMatchObject({
      category: 'file',
      subject: 'abc123',
      targetIds: [actor.userId],
    });
  });

  it('seals details at rest: the stored row holds no plaintext', async () => {
    const { seq } = await app.services.audit.append({
      category: 'file',
      action: 'file.upload',
      actorId: null,
      details: { name: '绝密-名单.xlsx' },
    });
    const row = await app.platform.db
      .selectFrom('audit_log')
      .select('details_enc')
      .where('seq', '=', seq)
      .executeTakeFirstOrThrow();
    expect(row.details_enc).not.toContain('绝密');
    expect(row.details_enc).not.toContain('xlsx');
  });

  it('lets auditors and administrators read and verify, nobody else', async () => {
    const user = await registerUser(app);
    const operator = await staffUser(app, 'operator');
    const auditor = await staffUser(app, 'auditor');
    const admin = await adminUser(app);
    for (const caller of [user, operator]) {
      expect(errorOf(await callOp(app, 'audit.list', {}, caller.accessToken))).toMatchObject({ status: 403 });
      expect(errorOf(await callOp(app, 'audit.verify', {}, caller.accessToken))).toMatchObject({
        status: 403,
      });
    }
    expect(errorOf(await callOp(app, 'audit.list', {}))).toMatchObject({ status: 401 });
    for (const caller of [auditor, admin]) {
      expect((await mustCall(app, 'audit.verify', {}, caller.accessToken)).ok).toBe(true);
      const page = await mustCall(app, 'audit.list', { limit: 2 }, caller.accessToken);
      expect(page.records.length).toBeGreaterThan(0);
    }
  });
});

describe('checkRun', () => {
  it('accepts an empty run and flags a wrong first seq', () => {
    expect(checkRun({ seq: 0, hash: GENESIS_HASH }, [])).toBeNull();
    const row = rowToChained({
      seq: 2,
      at: 1,
      category: 'file',
      action: 'x',
      actor_id: null,
      subject: null,
      conversation_id: null,
      target_ids: '[]',
      device_id: null,
      ip: null,
      details_enc: '',
      prev_hash: GENESIS_HASH,
      hash: '',
    });
    expect(checkRun({ seq: 0, hash: GENESIS_HASH }, [row])).toEqual({
      seq: 1,
      reason: 'record 1 is missing',
    });
  });
});
