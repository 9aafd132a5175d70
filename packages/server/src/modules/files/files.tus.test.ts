import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
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
import { pseudoRandomBytes, sha256, TusTestClient } from './files.testing.ts';

const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  pseudoRandomBytes(300_000, 7),
]);

describe.each(testDialects())('tus uploads (%s)', (dialect) => {
  let app: App;
  let base: string;
  let alice: TestUser;
  let bob: TestUser;
  let tus: TusTestClient;
  let dataDir: string;

  beforeAll(async () => {
    app = await buildTestApp({ dialect });
    dataDir = app.platform.config.dataDir;
    base = `http://127.0.0.1:${await app.listen()}`;
    alice = await registerUser(app);
    bob = await registerUser(app);
    tus = new TusTestClient(base, alice.accessToken);
  });
  afterAll(() => app.close());

  const rows = async (ownerId: string) =>
    app.platform.db.selectFrom('files').select(['id', 'status']).where('owner_id', '=', ownerId).execute();

  it('creates, takes chunks, reports its offset, and settles a ready file with its real type and hash', async () => {
    const created = await tus.create(PNG.length, { filename: 'photo.txt', filetype: 'text/plain' });
    expect(created.status).toBe(201);
    const location = created.headers.get('location')!;
    const id = location.split('/').pop()!;
    expect(id).toMatch(/^[0-9A-Z]{26}$/);
    expect(created.headers.get('upload-expires')).toBeTruthy();
    const first = await tus.patch(location, 0, PNG.subarray(0, 100_000));
    expect(first.status).toBe(204);
    expect(first.headers.get('upload-offset')).toBe('100000');
    const head = await tus.head(location);
    expect(head.status).toBe(200);
    expect(head.headers.get('upload-offset')).toBe('100000');
    expect(head.headers.get('upload-length')).toBe(String(PNG.length));
    const during = await mustCall(app, 'files.get', { id }, alice.accessToken);
    expect(during).toMatchObject({ status: 'uploading', offset: 100_000, sha256: null, name: 'photo.txt' });
    const last = await tus.patch(location, 100_000, PNG.subarray(100_000));
    expect(last.status).toBe(204);
    const info = await mustCall(app, 'files.get', { id }, alice.accessToken);
    expect(info).toMatchObject({
      id,
      ownerId: alice.userId,
      status: 'ready',
      size: PNG.length,
      offset: PNG.length,
      sha256: sha256(PNG),
      mime: 'image/png',
      reason: null,
    });
    const evidence = await app.services.audit.list({ action: 'file.upload', subject: sha256(PNG) });
    expect(evidence.records).toHaveLength(1);
    expect(evidence.records[0]).toMatchObject({ actorId: alice.userId, ip: '127.0.0.1' });
    expect(evidence.records[0]!.details).toMatchObject({
      fileId: id,
      name: 'photo.txt',
      size: PNG.length,
      mime: 'image/png',
    });
  });

  it('accepts creation-with-upload in one request', async () => {
    const data = Buffer.from('hello, 致信\n');
    const res = await tus.create(data.length, { filename: 'hello.txt', filetype: 'text/plain' }, data);
    expect(res.status).toBe(201);
    expect(res.headers.get('upload-offset')).toBe(String(data.length));
    const id = res.headers.get('location')!.split('/').pop()!;
    expect(await mustCall(app, 'files.get', { id }, alice.accessToken)).toMatchObject({
      status: 'ready',
      mime: 'text/plain',
    });
  });

  it('checks a per-PATCH sha1 or sha256 checksum: 460 on mismatch with nothing written', async () => {
    const data = pseudoRandomBytes(50_000, 3);
    const created = await tus.create(data.length, { filename: 'sum.bin' });
    const location = created.headers.get('location')!;
    const wrong = createHash('sha256').update('other').digest('base64');
    const bad = await tus.patch(location, 0, data.subarray(0, 20_000), {
      'upload-checksum': `sha256 ${wrong}`,
    });
    expect(bad.status).toBe(460);
    expect((await bad.json()).error.code).toBe('CHECKSUM_MISMATCH');
    expect((await tus.head(location)).headers.get('upload-offset')).toBe('0');
    const sha1 = createHash('sha1').update(data.subarray(0, 20_000)).digest('base64');
    const good = await tus.patch(location, 0, data.subarray(0, 20_000), {
      'upload-checksum': `sha1 ${sha1}`,
    });
    expect(good.status).toBe(204);
    expect(good.headers.get('upload-offset')).toBe('20000');
    const rest = data.subarray(20_000);
    const sum = createHash('sha256').update(rest).digest('base64');
    expect((await tus.patch(location, 20_000, rest, { 'upload-checksum': `sha256 ${sum}` })).status).toBe(
      204,
    );
    const unsupported = await tus.create(4, { filename: 'x.bin' });
    const res = await tus.patch(unsupported.headers.get('location')!, 0, Buffer.from('abcd'), {
      'upload-checksum': 'md5 abc=',
    });
    expect(res.status).toBe(400);
  });

  it('refuses a whole file whose sha256 differs from the declared one: final PATCH 460, nothing kept', async () => {
    const data = pseudoRandomBytes(10_000, 4);
    const { id, res } = await tus.upload(data, {
      filename: 'a.bin',
      sha256: sha256(Buffer.from('different')),
    });
    expect(res.status).toBe(460);
    expect((await res.json()).error.code).toBe('CHECKSUM_MISMATCH');
    const info = await mustCall(app, 'files.get', { id }, alice.accessToken);
    expect(info).toMatchObject({ status: 'rejected', reason: 'checksum' });
    expect(existsSync(join(dataDir, 'files', id))).toBe(false);
    expect(errorOf(await callOp(app, 'files.link', { id }, alice.accessToken)).code).toBe('FILE_REJECTED');
    const ok = await tus.upload(data, { filename: 'a.bin', sha256: sha256(data) });
    expect(ok.res.status).toBe(204);
    const evidence = await app.services.audit.list({ action: 'file.reject', actorId: alice.userId });
    expect(evidence.records.some((r) => r.details.fileId === id && r.details.reason === 'checksum')).toBe(
      true,
    );
  });

  it('refuses an oversize upload with 413 and stores nothing', async () => {
    const operator = await staffUser(app, 'operator');
    await mustCall(app, 'files.updateSettings', { maxFileBytes: 1000 }, operator.accessToken);
    try {
      const carol = await registerUser(app);
      const client = new TusTestClient(base, carol.accessToken);
      const res = await client.create(1001, { filename: 'big.bin' });
      expect(res.status).toBe(413);
      expect((await res.json()).error.code).toBe('FILE_TOO_LARGE');
      expect(await rows(carol.userId)).toEqual([]);
      expect((await client.create(1000, { filename: 'fits.bin' })).status).toBe(201);
    } finally {
      await mustCall(app, 'files.updateSettings', { maxFileBytes: 1024 ** 3 }, operator.accessToken);
    }
  });

  it('enforces the per-user quota over live files and pending uploads', async () => {
    const operator = await staffUser(app, 'operator');
    await mustCall(app, 'files.updateSettings', { quotaBytesPerUser: 5000 }, operator.accessToken);
    try {
      const dave = await registerUser(app);
      const client = new TusTestClient(base, dave.accessToken);
      expect((await client.upload(pseudoRandomBytes(3000), { filename: 'one.bin' })).res.status).toBe(204);
      expect((await client.create(1500, { filename: 'pending.bin' })).status).toBe(201);
      const res = await client.create(600, { filename: 'over.bin' });
      expect(res.status).toBe(413);
      expect((await res.json()).error).toMatchObject({
        code: 'QUOTA_EXCEEDED',
        details: { usedBytes: 4500, limitBytes: 5000 },
      });
      expect(await mustCall(app, 'files.quota', {}, dave.accessToken)).toEqual({
        usedBytes: 4500,
        limitBytes: 5000,
        maxFileBytes: 500,
      });
    } finally {
      await mustCall(app, 'files.updateSettings', { quotaBytesPerUser: 0 }, operator.accessToken);
    }
  });

  it('refuses an upload for a conversation the uploader is not in, and keeps the kind of one they are in', async () => {
    const carol = await registerUser(app);
    const group = await mustCall(
      app,
      'groups.create',
      { title: 'files', memberIds: [bob.userId] },
      carol.accessToken,
    );
    const res = await tus.create(10, { filename: 'x.txt', conversationId: group.id });
    expect(res.status).toBe(403);
    expect((await res.json()).error.code).toBe('NOT_MEMBER');
    const unknown = await tus.create(10, { filename: 'x.txt', conversationId: '01J00000000000000000000000' });
    expect((await unknown.json()).error.code).toBe('NOT_MEMBER');
    const bobs = new TusTestClient(base, bob.accessToken);
    const ok = await bobs.create(10, { filename: 'x.txt', conversationId: group.id });
    expect(ok.status).toBe(201);
    const id = ok.headers.get('location')!.split('/').pop()!;
    const row = await app.platform.db
      .selectFrom('files')
      .select(['conversation_id', 'retention_class'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ conversation_id: group.id, retention_class: 'group' });
  });

  it("refuses an upload for the operations account's channel from a reader, who cannot post there", async () => {
    const channel = await app.platform.db
      .selectFrom('ops_channel')
      .select('conversation_id')
      .executeTakeFirstOrThrow();
    const before = await mustCall(app, 'files.quota', {}, alice.accessToken);
    const res = await tus.create(10, { filename: 'x.txt', conversationId: channel.conversation_id });
    expect(res.status).toBe(403);
    expect((await res.json()).error.code).toBe('CHANNEL_READ_ONLY');
    expect(await mustCall(app, 'files.quota', {}, alice.accessToken)).toEqual(before);
  });

  it('keeps only the last segment of a file name and refuses control characters', async () => {
    const cases: Array<[string, string]> = [
      ['../../etc/passwd', 'passwd'],
      ['C:\\x\\y.txt', 'y.txt'],
      ['  报告 2026.pdf ', '报告 2026.pdf'],
    ];
    for (const [raw, kept] of cases) {
      const { id, res } = await tus.upload(Buffer.from('data'), { filename: raw });
      expect(res.status).toBe(204);
      expect((await mustCall(app, 'files.get', { id }, alice.accessToken)).name).toBe(kept);
    }
    const before = (await rows(alice.userId)).length;
    for (const raw of [
      'bad\u0000name.txt',
      'line\nbreak.txt',
      'evil\u202Etxt.exe',
      '../',
      '',
      'x'.repeat(256),
    ]) {
      const res = await tus.create(4, { filename: raw });
      expect(res.status).toBe(400);
      expect((await res.json()).error.code).toBe('FILE_NAME_INVALID');
    }
    expect((await rows(alice.userId)).length).toBe(before);
  });

  it('lets no one else PATCH, HEAD or DELETE my upload, and no one in without a token', async () => {
    const created = await tus.create(10, { filename: 'mine.bin' });
    const location = created.headers.get('location')!;
    const bobs = new TusTestClient(base, bob.accessToken);
    expect((await bobs.patch(location, 0, Buffer.from('0123456789'))).status).toBe(404);
    expect((await bobs.head(location)).status).toBe(404);
    expect((await bobs.delete(location)).status).toBe(404);
    const anonymous = new TusTestClient(base, '');
    const res = await anonymous.create(10, { filename: 'x' });
    expect(res.status).toBe(401);
    expect((await res.json()).error.code).toBe('UNAUTHENTICATED');
    expect((await anonymous.head(location)).status).toBe(401);
    expect((await new TusTestClient(base, 'not-a-token').create(10, { filename: 'x' })).status).toBe(401);
    expect((await tus.head(location)).headers.get('upload-offset')).toBe('0');
  });

  // Regression: tus ignores the path of a POST, so one to an upload's URL made another upload.
  it('creates uploads at the collection only: a POST to an upload URL makes nothing', async () => {
    const created = await tus.create(10, { filename: 'first.bin' });
    const location = created.headers.get('location')!;
    const before = (await rows(alice.userId)).length;
    const res = await fetch(tus.url(location), {
      method: 'POST',
      headers: tus.headers({
        'upload-length': '10',
        'upload-metadata': `filename ${Buffer.from('second.bin').toString('base64')}`,
      }),
    });
    expect(res.status).toBe(404);
    expect((await res.json()).error.code).toBe('FILE_NOT_FOUND');
    expect((await rows(alice.userId)).length).toBe(before);
  });

  it('resumes an interrupted 64 MiB upload from the offset the server kept, byte-exact', async () => {
    const size = 64 * 1024 * 1024;
    const data = pseudoRandomBytes(size, 99);
    const created = await tus.create(size, { filename: 'big.bin', sha256: sha256(data) });
    const location = created.headers.get('location')!;
    const abort = new AbortController();
    let sent = 0;
    // Stream the body and drop the connection once ~20 MiB went out.
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 20 * 1024 * 1024) {
          abort.abort();
          return;
        }
        controller.enqueue(data.subarray(sent, sent + 1024 * 1024));
        sent += 1024 * 1024;
      },
    });
    await expect(tus.patch(location, 0, body, {}, abort.signal)).rejects.toThrow();
    let offset = 0;
    for (let i = 0; i < 50; i++) {
      const head = await tus.head(location);
      if (head.status === 200) {
        offset = Number(head.headers.get('upload-offset'));
        if (offset > 0) break;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(offset).toBeGreaterThan(0);
    expect(offset).toBeLessThan(size);
    const rest = await tus.patch(location, offset, data.subarray(offset));
    expect(rest.status).toBe(204);
    const id = location.split('/').pop()!;
    const info = await mustCall(app, 'files.get', { id }, alice.accessToken);
    expect(info).toMatchObject({ status: 'ready', size, sha256: sha256(data) });
  }, 120_000);

  it('terminates an unfinished upload on DELETE, but not a finished one', async () => {
    const created = await tus.create(100, { filename: 'gone.bin' });
    const location = created.headers.get('location')!;
    const id = location.split('/').pop()!;
    await tus.patch(location, 0, Buffer.alloc(50));
    expect((await tus.delete(location)).status).toBe(204);
    await expect
      .poll(async () => (await mustCall(app, 'files.get', { id }, alice.accessToken)).status)
      .toBe('deleted');
    expect(existsSync(join(dataDir, 'files', id))).toBe(false);
    const done = await tus.upload(Buffer.from('kept'), { filename: 'kept.txt' });
    expect((await tus.delete(`/api/v1/uploads/${done.id}`)).status).toBe(400);
  });

  it('removes abandoned uploads (bytes and row) once they are older than abandonedUploadHours', async () => {
    const created = await tus.create(100, { filename: 'stale.bin' });
    const location = created.headers.get('location')!;
    const id = location.split('/').pop()!;
    await tus.patch(location, 0, Buffer.alloc(10));
    expect(existsSync(join(dataDir, 'files', id))).toBe(true);
    const fresh = await tus.create(100, { filename: 'fresh.bin' });
    const freshId = fresh.headers.get('location')!.split('/').pop()!;
    await app.platform.db
      .updateTable('files')
      .set({ created_at: Date.now() - 25 * 3_600_000 })
      .where('id', '=', id)
      .execute();
    expect(await app.services.files.cleanupAbandoned()).toBe(1);
    expect(existsSync(join(dataDir, 'files', id))).toBe(false);
    expect(existsSync(join(dataDir, 'files', `${id}.json`))).toBe(false);
    expect(await app.services.files.get(id)).toBeNull();
    expect(await app.services.files.get(freshId)).toMatchObject({ status: 'uploading' });
    const evidence = await app.services.audit.list({ action: 'file.abandon' });
    expect(evidence.records.some((r) => r.details.fileId === id && r.details.by === 'cleanup')).toBe(true);
    expect((await tus.head(location)).status).toBe(404);
  });
});
