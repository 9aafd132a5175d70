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
import { parseRange } from './files.download.ts';
import { signLink, verifyLink } from './files.links.ts';
import { pseudoRandomBytes, TusTestClient } from './files.testing.ts';

describe('parseRange and signed links', () => {
  it('reads single byte ranges, suffixes and open ends; ignores what it cannot read', () => {
    expect(parseRange('bytes=0-99', 1000)).toEqual({ start: 0, end: 99 });
    expect(parseRange('bytes=900-', 1000)).toEqual({ start: 900, end: 999 });
    expect(parseRange('bytes=-100', 1000)).toEqual({ start: 900, end: 999 });
    expect(parseRange('bytes=-5000', 1000)).toEqual({ start: 0, end: 999 });
    expect(parseRange('bytes=990-5000', 1000)).toEqual({ start: 990, end: 999 });
    expect(parseRange('bytes=1000-', 1000)).toBe('unsatisfiable');
    expect(parseRange('bytes=-0', 1000)).toBe('unsatisfiable');
    for (const h of [undefined, 'bytes=0-1,5-6', 'items=0-1', 'bytes=5-2', 'bytes=-'])
      expect(parseRange(h, 1000)).toBeNull();
  });

  it('verifies only untouched, unexpired links', () => {
    const mac = (d: string) => `mac(${d.length})${d.split('\n').join('|')}`;
    const claims = {
      fileId: 'F1',
      variant: 'original',
      disposition: 'inline',
      userId: 'U1',
      sessionId: 'S1',
      exp: 2000,
    } as const;
    const url = new URL(signLink(mac, claims), 'http://x');
    const q = Object.fromEntries(url.searchParams);
    expect(verifyLink(mac, 'F1', q, 1000)).toEqual(claims);
    expect(verifyLink(mac, 'F1', q, 2000)).toBeNull();
    expect(verifyLink(mac, 'F2', q, 1000)).toBeNull();
    expect(verifyLink(mac, 'F1', { ...q, u: 'U2' }, 1000)).toBeNull();
    expect(verifyLink(mac, 'F1', { ...q, exp: '999999' }, 1000)).toBeNull();
    expect(verifyLink(mac, 'F1', { ...q, d: 'attachment' }, 1000)).toBeNull();
  });
});

describe.each(testDialects())('downloads, deletion and settings (%s)', (dialect) => {
  let app: App;
  let base: string;
  let alice: TestUser;
  let bob: TestUser;
  const data = pseudoRandomBytes(200_000, 11);
  let fileId: string;

  beforeAll(async () => {
    app = await buildTestApp({ dialect });
    base = `http://127.0.0.1:${await app.listen()}`;
    alice = await registerUser(app);
    bob = await registerUser(app);
    const up = await new TusTestClient(base, alice.accessToken).upload(data, {
      filename: '季度报告 "final".bin',
    });
    expect(up.res.status).toBe(204);
    fileId = up.id;
  });
  afterAll(() => app.close());

  const link = async (body: Record<string, unknown> = {}) =>
    (await mustCall(app, 'files.link', { id: fileId, ...body }, alice.accessToken)).url;

  it('serves the whole file with its hash as ETag, an RFC 5987 name and nosniff, and records the download', async () => {
    const url = await link();
    expect(url).toMatch(new RegExp(`^/api/v1/files/${fileId}/content\\?`));
    const res = await fetch(base + url, { headers: { 'x-forwarded-for': '1.2.3.4' } });
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).equals(data)).toBe(true);
    const info = await mustCall(app, 'files.get', { id: fileId }, alice.accessToken);
    expect(res.headers.get('etag')).toBe(`"${info.sha256}"`);
    expect(res.headers.get('accept-ranges')).toBe('bytes');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename="____ _final_.bin"; filename*=UTF-8''${encodeURIComponent('季度报告 "final".bin')}`,
    );
    const evidence = await app.services.audit.list({ action: 'file.download', subject: info.sha256! });
    expect(evidence.records[0]).toMatchObject({ actorId: alice.userId, ip: '127.0.0.1' });
    expect(evidence.records[0]!.deviceId).toBeTruthy();
  });

  it('answers byte ranges exactly: first bytes, middle, suffix; 416 when unsatisfiable', async () => {
    const url = base + (await link());
    const cases: Array<[string, number, number]> = [
      ['bytes=0-99', 0, 99],
      ['bytes=1000-1999', 1000, 1999],
      ['bytes=-100', data.length - 100, data.length - 1],
      ['bytes=199000-', 199_000, data.length - 1],
    ];
    for (const [range, start, end] of cases) {
      const res = await fetch(url, { headers: { range } });
      expect(res.status).toBe(206);
      expect(res.headers.get('content-range')).toBe(`bytes ${start}-${end}/${data.length}`);
      expect(Buffer.from(await res.arrayBuffer()).equals(data.subarray(start, end + 1))).toBe(true);
    }
    const bad = await fetch(url, { headers: { range: `bytes=${data.length}-` } });
    expect(bad.status).toBe(416);
    expect(bad.headers.get('content-range')).toBe(`bytes */${data.length}`);
  });

  it('shows only safe types inline: anything else is forced to attachment', async () => {
    const res = await fetch(base + (await link({ disposition: 'inline' })));
    expect(res.headers.get('content-type')).toBe('application/octet-stream');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment;/);
    await res.arrayBuffer();
    const png = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      Buffer.alloc(64),
    ]);
    const html = Buffer.from('<html><script>alert(1)</script></html>');
    const client = new TusTestClient(base, alice.accessToken);
    const img = await client.upload(png, { filename: 'a.png', filetype: 'image/png' });
    const page = await client.upload(html, { filename: 'a.html', filetype: 'text/html' });
    const imgLink = await mustCall(
      app,
      'files.link',
      { id: img.id, disposition: 'inline' },
      alice.accessToken,
    );
    const imgRes = await fetch(base + imgLink.url);
    expect(imgRes.headers.get('content-type')).toBe('image/png');
    expect(imgRes.headers.get('content-disposition')).toMatch(/^inline;/);
    const pageLink = await mustCall(
      app,
      'files.link',
      { id: page.id, disposition: 'inline' },
      alice.accessToken,
    );
    const pageRes = await fetch(base + pageLink.url);
    expect(pageRes.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(pageRes.headers.get('content-disposition')).toMatch(/^attachment;/);
  });

  it('refuses tampered links with LINK_INVALID and foreign files with FILE_NOT_FOUND', async () => {
    const url = new URL(base + (await link()));
    for (const [key, value] of [
      ['u', bob.userId],
      ['exp', String(Date.now() + 10 ** 9)],
      ['sig', 'AAAA'],
      ['v', 'thumbnail'],
    ] as const) {
      const tampered = new URL(url);
      tampered.searchParams.set(key, value);
      const res = await fetch(tampered);
      expect(res.status).toBe(403);
      expect((await res.json()).error.code).toBe('LINK_INVALID');
    }
    const otherFile = new URL(url);
    otherFile.pathname = '/api/v1/files/01J00000000000000000000000/content';
    expect((await fetch(otherFile)).status).toBe(403);
    expect(errorOf(await callOp(app, 'files.link', { id: fileId }, bob.accessToken))).toEqual({
      status: 404,
      code: 'FILE_NOT_FOUND',
    });
    expect(errorOf(await callOp(app, 'files.get', { id: fileId }, bob.accessToken))).toEqual({
      status: 404,
      code: 'FILE_NOT_FOUND',
    });
    expect(
      errorOf(await callOp(app, 'files.link', { id: '01J00000000000000000000000' }, alice.accessToken)).code,
    ).toBe('FILE_NOT_FOUND');
    expect(
      errorOf(await callOp(app, 'files.link', { id: fileId, variant: 'thumbnail' }, alice.accessToken)).code,
    ).toBe('FILE_NOT_FOUND');
  });

  it('lets the owner delete a file: bytes gone, links dead with FILE_EXPIRED, evidence kept', async () => {
    const client = new TusTestClient(base, alice.accessToken);
    const up = await client.upload(pseudoRandomBytes(5000, 5), { filename: 'temp.bin' });
    const url = (await mustCall(app, 'files.link', { id: up.id }, alice.accessToken)).url;
    expect(errorOf(await callOp(app, 'files.delete', { id: up.id }, bob.accessToken))).toEqual({
      status: 404,
      code: 'FILE_NOT_FOUND',
    });
    expect(await mustCall(app, 'files.delete', { id: up.id }, alice.accessToken)).toEqual({ ok: true });
    expect(existsSync(join(app.platform.config.dataDir, 'files', up.id))).toBe(false);
    const res = await fetch(base + url);
    expect(res.status).toBe(410);
    expect((await res.json()).error.code).toBe('FILE_EXPIRED');
    expect(errorOf(await callOp(app, 'files.link', { id: up.id }, alice.accessToken))).toEqual({
      status: 410,
      code: 'FILE_EXPIRED',
    });
    expect((await mustCall(app, 'files.get', { id: up.id }, alice.accessToken)).status).toBe('deleted');
    const evidence = await app.services.audit.list({ action: 'file.delete', actorId: alice.userId });
    expect(evidence.records[0]!.details).toMatchObject({ fileId: up.id, name: 'temp.bin' });
    expect(await mustCall(app, 'files.delete', { id: up.id }, alice.accessToken)).toEqual({ ok: true });
  });

  it('expires files for the retention job: blobs removed, status expired, evidence by the system', async () => {
    const client = new TusTestClient(base, alice.accessToken);
    const up = await client.upload(pseudoRandomBytes(3000, 6), { filename: 'old.bin' });
    const due = await app.services.files.expiredCandidates(
      (kind) => (kind === 'none' ? Date.now() + 1000 : 0),
      1000,
    );
    expect(due).toContain(up.id);
    expect(await app.services.files.expiredCandidates(() => 0, 10)).toEqual([]);
    expect(await app.services.files.expire([up.id, up.id])).toEqual([up.id]);
    expect(await app.services.files.get(up.id)).toMatchObject({ status: 'expired' });
    expect(existsSync(join(app.platform.config.dataDir, 'files', up.id))).toBe(false);
    const evidence = await app.services.audit.list({ action: 'file.expire' });
    expect(evidence.records[0]).toMatchObject({ actorId: null });
  });

  it('lets operators change the settings (audited; the disclaimer version follows its text), users only read the policy', async () => {
    const operator = await staffUser(app, 'operator');
    expect(errorOf(await callOp(app, 'files.settings', {}, alice.accessToken)).status).toBe(403);
    expect(
      errorOf(await callOp(app, 'files.updateSettings', { quotaBytesPerUser: 1 }, alice.accessToken)).status,
    ).toBe(403);
    const before = await mustCall(app, 'files.settings', {}, operator.accessToken);
    const after = await mustCall(
      app,
      'files.updateSettings',
      {
        disclaimer: { enabled: true, text: '请勿外传' },
        retention: { groupDays: 30 },
        abandonedUploadHours: 6,
      },
      operator.accessToken,
    );
    expect(after.disclaimer).toEqual({
      ...before.disclaimer,
      enabled: true,
      text: '请勿外传',
      version: before.disclaimer.version + 1,
    });
    expect(after.retention.groupDays).toBe(30);
    expect(after.abandonedUploadHours).toBe(6);
    const same = await mustCall(
      app,
      'files.updateSettings',
      { disclaimer: { enabled: true } },
      operator.accessToken,
    );
    expect(same.disclaimer.version).toBe(after.disclaimer.version);
    expect(await mustCall(app, 'files.policy', {}, alice.accessToken)).toEqual({
      disclaimer: after.disclaimer,
      maxFileBytes: after.maxFileBytes,
      retention: after.retention,
    });
    const evidence = await app.services.audit.list({
      action: 'admin.files.settings',
      actorId: operator.userId,
    });
    expect(evidence.records[0]!.details.changed).toEqual([
      'abandonedUploadHours',
      'disclaimer.enabled',
      'disclaimer.text',
      'retention.groupDays',
    ]);
    for (const bad of [
      {},
      { maxFileBytes: 0 },
      { maxFileBytes: 1024 ** 3 + 1 },
      { disclaimer: { version: 9 } },
      { other: 1 },
    ]) {
      expect(errorOf(await callOp(app, 'files.updateSettings', bad, operator.accessToken)).code).toBe(
        'VALIDATION_FAILED',
      );
    }
  });
});
