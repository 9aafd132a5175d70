import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../app.ts';
import { TusTestClient } from '../../modules/files/files.testing.ts';
import { buildTestApp } from '../../testing/app.ts';
import { callOp, mustCall, registerUser, type TestUser } from '../../testing/factories.ts';

/**
 * Attack: path traversal. `..`, encoded `..`, backslashes and NUL bytes in URLs (web client files,
 * images, uploads, downloads, exports) and in uploaded file names, to read or write outside the
 * folders the server serves and stores. Nothing outside is ever read; names keep only their last
 * segment and blobs are stored under generated ids.
 */

const SECRET = `top-secret-${randomBytes(8).toString('hex')}`;

/** GET a raw path over a socket: no client-side normalisation of `..` or percent escapes. */
function rawGet(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { accept: 'text/html,*/*' } }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString('utf8')));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const TRAVERSALS = [
  '/../secret.txt',
  '/../../secret.txt',
  '/%2e%2e/secret.txt',
  '/%2e%2e%2fsecret.txt',
  '/assets/..%2f..%2fsecret.txt',
  '/assets/%2e%2e/%2e%2e/secret.txt',
  '/..%5csecret.txt',
  '/assets/..\\..\\secret.txt',
  '/%252e%252e/secret.txt',
  '/secret.txt%00.html',
  '/..%c0%afsecret.txt',
  '/assets/....//....//secret.txt',
];

describe('path traversal', () => {
  let app: App;
  let port: number;
  let user: TestUser;
  let dataDir: string;
  beforeAll(async () => {
    // The web build in dist/, and a secret beside it that must never be served.
    const root = mkdtempSync(join(tmpdir(), 'zx-traversal-'));
    const dist = join(root, 'dist');
    mkdirSync(join(dist, 'assets'), { recursive: true });
    writeFileSync(join(dist, 'index.html'), '<!doctype html><title>index</title>');
    writeFileSync(join(dist, 'assets', 'app.js'), 'console.log(1)');
    writeFileSync(join(root, 'secret.txt'), SECRET);
    dataDir = mkdtempSync(join(tmpdir(), 'zx-traversal-data-'));
    app = await buildTestApp({ dataDir, config: { web: { dir: dist } } });
    port = await app.listen();
    user = await registerUser(app);
  });
  afterAll(() => app.close());

  it('never serves a file outside the web client folder', async () => {
    for (const path of TRAVERSALS) {
      const res = await rawGet(port, path);
      expect(res.body, path).not.toContain(SECRET);
      expect(res.status, path).toBeLessThan(500);
    }
  });

  it('never reaches outside through the API and plain routes', async () => {
    const apiPaths = [
      '/api/v1/images/..%2f..%2f..%2fsecret.txt',
      '/api/v1/images/../../secret.txt',
      '/api/v1/uploads/..%2f..%2fsecret.txt',
      '/api/v1/files/..%2f..%2fsecret.txt/content?v=original&d=inline&u=x&s=x&exp=99999999999999&sig=x',
      '/api/v1/exports/..%2f..%2fsecret.txt',
      '/api/v1/audit/export?format=..%2f..%2fsecret.txt',
      '/api/v1/../../secret.txt',
    ];
    for (const path of apiPaths) {
      const res = await rawGet(port, path);
      expect(res.body, path).not.toContain(SECRET);
      expect(res.status, path).toBeGreaterThanOrEqual(400);
      expect(res.status, path).toBeLessThan(500);
    }
  });

  it('keeps only the last segment of an uploaded file name and stores the bytes under an id', async () => {
    const tus = new TusTestClient(`http://127.0.0.1:${port}`, user.accessToken);
    const names = ['../../../../etc/passwd', '..\\..\\windows\\win.ini', 'a/../../b.txt', '/abs/olute.txt'];
    for (const name of names) {
      const { id, res } = await tus.upload(randomBytes(50), { filename: name });
      expect(res.status, name).toBe(204);
      const file = await mustCall(app, 'files.get', { id }, user.accessToken);
      expect(file.name, name).not.toMatch(/[\\/]|^\.\.?$/);
      expect(file.name, name).toBe(name.split(/[\\/]/).pop());
    }
    for (const name of ['..', '.', '../..', 'a/..']) {
      const created = await tus.create(10, { filename: name });
      expect(created.status, name).toBe(400);
      expect(await created.json()).toMatchObject({ error: { code: 'FILE_NAME_INVALID' } });
    }
    // Nothing was written outside the data folder's own layout: no file is named after the input.
    const walk = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? walk(join(dir, e.name)) : [e.name],
      );
    for (const stored of walk(dataDir))
      expect(['passwd', 'win.ini', 'b.txt', 'olute.txt']).not.toContain(stored);
  });

  it('refuses traversal in the ids of operations with a typed error', async () => {
    for (const id of ['../x', '..%2fx', 'a/../../b', '..\\x', '%00']) {
      const res = await callOp(app, 'files.get', { id }, user.accessToken);
      expect([400, 404], `${id} ${JSON.stringify(res.body)}`).toContain(res.status);
      const conv = await callOp(app, 'conversations.get', { conversationId: id }, user.accessToken);
      expect([400, 404], id).toContain(conv.status);
    }
  });
});
