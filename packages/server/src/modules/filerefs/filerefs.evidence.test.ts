import { createHash } from 'node:crypto';
import type { AuditQuery, AuditRecord } from '@zhixin/protocol';
import { sql } from 'kysely';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../app.ts';
import { buildTestApp, testDialects } from '../../testing/app.ts';
import {
  callOp,
  errorOf,
  mustCall,
  registerUser,
  staffUser,
  type TestUser,
} from '../../testing/factories.ts';
import { CSV_COLUMNS } from './export.csv.ts';
import { clientId, fileOf, imageOf, photoWithGps, upload } from './filerefs.testing.ts';

/** RFC 4180 rows (quoted cells with doubled quotes, CRLF line ends). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    const next = text[i + 1];
    if (quoted && c === '"' && next === '"') {
      cell += '"';
      i++;
    } else if (quoted && c === '"') {
      quoted = false;
    } else if (quoted) {
      cell += c;
    } else if (c === '"') {
      quoted = true;
    } else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && next === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else {
      cell += c;
    }
  }
  return rows;
}

describe.each(testDialects())('file evidence (%s)', (dialect) => {
  let app: App;
  let base: string;
  let alice: TestUser;
  let bob: TestUser;
  let carol: TestUser;
  let auditor: TestUser;
  let group: string;
  let bobCarol: string;

  beforeAll(async () => {
    app = await buildTestApp({ dialect });
    base = `http://127.0.0.1:${await app.listen()}`;
    [alice, bob, carol] = (await Promise.all([1, 2, 3].map(() => registerUser(app)))) as [
      TestUser,
      TestUser,
      TestUser,
    ];
    auditor = await staffUser(app, 'auditor');
    group = (
      await mustCall(app, 'groups.create', { title: '取证群', memberIds: [bob.userId] }, alice.accessToken)
    ).id;
    bobCarol = (await mustCall(app, 'conversations.openDirect', { userId: carol.userId }, bob.accessToken))
      .id;
  }, 60_000);
  afterAll(() => app.close());

  const headSeq = async () => (await app.services.audit.verify()).headSeq;
  const exportAs = (token: string | null, query: string) =>
    fetch(
      `${base}/api/v1/audit/export?${query}`,
      token ? { headers: { authorization: `Bearer ${token}` } } : {},
    );

  it('records a disclaimer acceptance, and refuses a stale version or a conversation the user is not in', async () => {
    const policy = await mustCall(app, 'files.policy', {}, alice.accessToken);
    const version = policy.disclaimer.version;
    await mustCall(app, 'files.acceptDisclaimer', { conversationId: group, version }, alice.accessToken);
    const [record] = await app.services.audit.listAscending(
      { action: 'file.disclaimer.accept', actorId: alice.userId, limit: 10 },
      0,
    );
    expect(record).toMatchObject({
      category: 'file',
      conversationId: group,
      deviceId: alice.sessionId,
      details: { version, scope: policy.disclaimer.scope },
    });
    expect(record?.ip).toBeTruthy();
    const before = await headSeq();
    const stale = await callOp(
      app,
      'files.acceptDisclaimer',
      { conversationId: group, version: version + 1 },
      alice.accessToken,
    );
    expect(errorOf(stale)).toEqual({ status: 409, code: 'CONFLICT' });
    const outsider = await callOp(
      app,
      'files.acceptDisclaimer',
      { conversationId: bobCarol, version },
      alice.accessToken,
    );
    expect(errorOf(outsider).code).toBe('NOT_MEMBER');
    const foreign = await upload(app, base, bob, Buffer.from('bob private notes '.repeat(20)), {
      filename: 'b.txt',
      filetype: 'text/plain',
    });
    const foreignFile = await callOp(
      app,
      'files.acceptDisclaimer',
      { conversationId: group, version, fileId: foreign.id },
      alice.accessToken,
    );
    expect(errorOf(foreignFile).code).toBe('FILE_NOT_FOUND');
    expect(await headSeq()).toBe(before + 1); // bob's upload only
  });

  it('traces a file from upload through send, forward and download, by its stored or original hash', async () => {
    const bytes = await photoWithGps();
    const originalHash = createHash('sha256').update(bytes).digest('hex');
    const photo = await upload(app, base, alice, bytes, { filename: '现场.jpg', filetype: 'image/jpeg' });
    expect(photo.sha256).not.toBe(originalHash);
    const sent = await mustCall(
      app,
      'messages.send',
      { conversationId: group, clientId: clientId(), content: imageOf(photo) },
      alice.accessToken,
    );
    await mustCall(
      app,
      'messages.forward',
      { conversationId: bobCarol, clientId: clientId(), from: { conversationId: group, seq: sent.seq } },
      bob.accessToken,
    );
    const link = await mustCall(
      app,
      'files.link',
      { id: photo.id, conversationId: bobCarol },
      carol.accessToken,
    );
    const download = await fetch(base + link.url);
    expect(download.status).toBe(200);
    const downloaded = Buffer.from(await download.arrayBuffer());
    expect((await sharp(downloaded).metadata()).exif).toBeUndefined();

    const trace = await mustCall(app, 'files.trace', { sha256: photo.sha256 ?? '' }, auditor.accessToken);
    expect(trace.steps.map((s) => s.action)).toEqual([
      'file.upload',
      'file.send',
      'file.forward',
      'file.download',
    ]);
    expect(trace.steps.map((s) => s.actorId)).toEqual([alice.userId, alice.userId, bob.userId, carol.userId]);
    expect(trace.steps.every((s) => s.fileId === photo.id)).toBe(true);
    expect(new Set(trace.reachedUserIds)).toEqual(new Set([alice.userId, bob.userId, carol.userId]));
    expect(trace.conversationIds).toEqual([group, bobCarol]);
    const byOriginal = await mustCall(app, 'files.trace', { sha256: originalHash }, auditor.accessToken);
    expect(byOriginal.steps).toEqual(trace.steps);

    expect(
      errorOf(await callOp(app, 'files.trace', { sha256: originalHash }, alice.accessToken)).status,
    ).toBe(403);
    expect(errorOf(await callOp(app, 'files.trace', { sha256: 'XYZ' }, auditor.accessToken)).code).toBe(
      'VALIDATION_FAILED',
    );
    const unknown = await mustCall(app, 'files.trace', { sha256: '0'.repeat(64) }, auditor.accessToken);
    expect(unknown).toEqual({ sha256: '0'.repeat(64), steps: [], reachedUserIds: [], conversationIds: [] });
  });

  it('answers auditors by user, by file hash and by time range; nobody else', async () => {
    const start = Date.now();
    const doc = await upload(app, base, bob, Buffer.from('季度预算草案 '.repeat(40)), {
      filename: '预算.txt',
      filetype: 'text/plain',
    });
    await mustCall(
      app,
      'messages.send',
      {
        conversationId: bobCarol,
        clientId: clientId(),
        content: fileOf(doc, '预算.txt'),
      },
      bob.accessToken,
    );
    const end = Date.now() + 1;
    const list = (query: AuditQuery) => mustCall(app, 'audit.list', query, auditor.accessToken);

    const byHash = await list({ category: 'file', subject: doc.sha256 ?? '' });
    expect(byHash.records.map((r) => r.action)).toEqual(['file.send', 'file.upload']);
    expect(byHash.records.every((r) => r.actorId === bob.userId && r.subject === doc.sha256)).toBe(true);
    expect(byHash.records[0]?.targetIds).toEqual(expect.arrayContaining([carol.userId]));

    const byUser = await list({ category: 'file', actorId: bob.userId });
    expect(byUser.records.length).toBeGreaterThanOrEqual(3);
    expect(byUser.records.every((r) => r.actorId === bob.userId)).toBe(true);

    const inRange = await list({ category: 'file', actorId: bob.userId, from: start, to: end });
    expect(inRange.records.map((r) => r.subject)).toEqual([doc.sha256, doc.sha256]);
    const before = await list({ category: 'file', subject: doc.sha256 ?? '', to: start });
    expect(before.records).toEqual([]);

    const refused = await callOp(app, 'audit.list', { subject: doc.sha256 ?? '' }, bob.accessToken);
    expect(errorOf(refused).status).toBe(403);
  });

  it('exports evidence as JSON lines and as formula-safe CSV, oldest first, to auditors only', async () => {
    await app.services.audit.append({
      category: 'security',
      action: '=HYPERLINK("http://example.invalid","x")',
      actorId: null,
      subject: '+1 "quoted", and more',
      details: { note: '@mention\r\nnew line' },
    });
    const expected = await app.services.audit.listAscending({ category: 'file', limit: 500 }, 0);
    expect(expected.length).toBeGreaterThan(5);
    const jsonl = await exportAs(auditor.accessToken, 'format=jsonl&category=file');
    expect(jsonl.status).toBe(200);
    expect(jsonl.headers.get('content-type')).toContain('application/x-ndjson');
    const lines = (await jsonl.text())
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as AuditRecord);
    expect(lines).toEqual(expected);

    const csv = await exportAs(auditor.accessToken, 'format=csv&category=security');
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-disposition')).toMatch(/^attachment; filename="evidence-.*\.csv"$/);
    const bytes = Buffer.from(await csv.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const [header, ...rows] = parseCsv(bytes.subarray(3).toString('utf8'));
    expect(header).toEqual([...CSV_COLUMNS]);
    const security = await app.services.audit.listAscending({ category: 'security', limit: 500 }, 0);
    expect(rows.map((r) => Number(r[0]))).toEqual(security.map((r) => r.seq));
    const injected = rows.find((r) => r[3]?.includes('HYPERLINK'));
    expect(injected?.[3]).toBe('\'=HYPERLINK("http://example.invalid","x")');
    expect(injected?.[5]).toBe('\'+1 "quoted", and more');
    expect(JSON.parse(injected?.[10] ?? '')).toEqual({ note: '@mention\r\nnew line' });

    const from = expected[1]?.at ?? 0;
    const ranged = await exportAs(
      auditor.accessToken,
      `format=jsonl&category=file&actorId=${alice.userId}&from=${from}`,
    );
    const rangedLines = (await ranged.text())
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as AuditRecord);
    expect(rangedLines.length).toBeGreaterThan(0);
    expect(rangedLines.every((r) => r.actorId === alice.userId && r.at >= from)).toBe(true);

    expect((await exportAs(null, 'format=csv')).status).toBe(401);
    expect((await exportAs(alice.accessToken, 'format=csv')).status).toBe(403);
    const bad = await exportAs(auditor.accessToken, 'format=xml');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('VALIDATION_FAILED');
    const exports = await app.services.audit.listAscending(
      { action: 'audit.export', actorId: auditor.userId, limit: 10 },
      0,
    );
    // The three exports that ran are evidence too; the refused ones are not.
    expect(exports.length).toBe(3);
  });

  it.runIf(dialect === 'sqlite')(
    "commits a file send's evidence in the message's own transaction: both or neither",
    async () => {
      const file = await upload(app, base, alice, Buffer.from('evidence with the message '.repeat(20)), {
        filename: 'e.txt',
        filetype: 'text/plain',
      });
      const stored = async () =>
        (
          await app.platform.db
            .selectFrom('messages')
            .select('seq')
            .where('conversation_id', '=', group)
            .execute()
        ).length;
      const messagesBefore = await stored();
      const auditBefore = await headSeq();
      // The evidence cannot be written: the message must not be stored (nor acknowledged) without it.
      await sql`create temp trigger zx_no_file_evidence before insert on audit_log
        when new.action = 'file.send' begin select raise(abort, 'no evidence'); end`.execute(app.platform.db);
      try {
        const refused = await callOp(
          app,
          'messages.send',
          { conversationId: group, clientId: clientId(), content: fileOf(file) },
          alice.accessToken,
        );
        expect(refused.status).toBeGreaterThanOrEqual(500);
      } finally {
        await sql`drop trigger zx_no_file_evidence`.execute(app.platform.db);
      }
      expect(await stored()).toBe(messagesBefore);
      expect(await headSeq()).toBe(auditBefore);
      const sent = await mustCall(
        app,
        'messages.send',
        { conversationId: group, clientId: clientId(), content: fileOf(file) },
        alice.accessToken,
      );
      expect(await stored()).toBe(messagesBefore + 1);
      const [evidence] = await app.services.audit.listAscending(
        { action: 'file.send', conversationId: group, limit: 10 },
        auditBefore,
      );
      expect(evidence?.details).toMatchObject({ messageSeq: sent.seq, fileId: file.id });
      expect((await app.services.audit.verify()).ok).toBe(true);
    },
  );

  it('finds a tampered file evidence record', async () => {
    const [send] = await app.services.audit.listAscending(
      { category: 'file', action: 'file.send', limit: 1 },
      0,
    );
    expect(send).toBeDefined();
    expect((await app.services.audit.verify()).ok).toBe(true);
    // Someone with database access hides who received the file.
    await app.platform.db
      .updateTable('audit_log')
      .set({ target_ids: '[]' })
      .where('seq', '=', send?.seq ?? 0)
      .execute();
    const verdict = await mustCall(app, 'audit.verify', {}, auditor.accessToken);
    expect(verdict).toMatchObject({ ok: false, firstBadSeq: send?.seq });
  });
});
