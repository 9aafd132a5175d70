import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../app.ts';
import { buildTestApp } from '../testing/app.ts';

const INDEX =
  '<!doctype html><html><head><script type="module" src="/assets/app-abc123.js"></script></head></html>';
const HTML = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };

/** A fake `npm run build` output. */
function fakeDist(): string {
  const dir = mkdtempSync(join(tmpdir(), 'zx-web-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), INDEX);
  writeFileSync(join(dir, 'assets', 'app-abc123.js'), 'console.log("app")');
  writeFileSync(join(dir, 'sw.js'), 'self.addEventListener("fetch", () => {})');
  writeFileSync(join(dir, 'manifest.webmanifest'), '{"name":"致信"}');
  return dir;
}

describe('serving the web client', () => {
  let app: App;
  beforeAll(async () => {
    app = await buildTestApp({ config: { web: { dir: fakeDist() } } });
  });
  afterAll(() => app.close());

  it('serves index.html at / and revalidates it', async () => {
    const res = await app.http.inject({ method: 'GET', url: '/', headers: HTML });
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe(INDEX);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['cache-control']).toBe('no-cache');
  });

  it('falls back to index.html for client routes, so a reload of /chats/x works', async () => {
    for (const url of ['/chats/x', '/contacts/01J000/profile', '/settings?tab=font']) {
      const res = await app.http.inject({ method: 'GET', url, headers: HTML });
      expect(res.statusCode, url).toBe(200);
      expect(res.body).toBe(INDEX);
      expect(res.headers['cache-control']).toBe('no-cache');
    }
  });

  it('caches hashed assets for a year and revalidates the service worker and manifest', async () => {
    const asset = await app.http.inject({ method: 'GET', url: '/assets/app-abc123.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    for (const url of ['/sw.js', '/manifest.webmanifest']) {
      const res = await app.http.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['cache-control']).toBe('no-cache');
    }
  });

  it('keeps API and server paths JSON, even for a browser', async () => {
    for (const url of ['/api/v1/unknown', '/api/nothing', '/ws', '/metricsx/../metrics/x']) {
      const res = await app.http.inject({ method: 'GET', url, headers: HTML });
      expect(res.statusCode, url).toBe(404);
      expect(res.json()).toMatchObject({ error: { code: 'ROUTE_NOT_FOUND' } });
    }
    const missingAsset = await app.http.inject({ method: 'GET', url: '/assets/gone-123.js' });
    expect(missingAsset.statusCode).toBe(404);
    expect(missingAsset.json()).toMatchObject({ error: { code: 'ROUTE_NOT_FOUND' } });
    expect((await app.http.inject({ method: 'GET', url: '/healthz', headers: HTML })).json()).toMatchObject({
      status: 'ok',
    });
  });

  it('sends a CSP that a Vite build runs under: own scripts only, inline styles, own workers', async () => {
    const csp = String(
      (await app.http.inject({ method: 'GET', url: '/', headers: HTML })).headers['content-security-policy'],
    );
    expect(csp).toContain("script-src 'self';");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(csp).toMatch(/style-src 'self' 'unsafe-inline'/);
    expect(csp).toContain("worker-src 'self'");
    expect(csp).toContain("manifest-src 'self'");
    expect(csp).toContain("img-src 'self' data: blob:");
    expect(csp).toContain("connect-src 'self' ws: wss:");
  });

  it('does not force TLS on a plain-HTTP deployment (intranet addresses), only behind HTTPS', async () => {
    const csp = async (a: App) =>
      String(
        (await a.http.inject({ method: 'GET', url: '/', headers: HTML })).headers['content-security-policy'],
      );
    // Regression: helmet's default upgrade-insecure-requests made browsers at http://10.x.x.x load
    // nothing (every asset and the WebSocket were asked for over TLS).
    expect(await csp(app)).not.toContain('upgrade-insecure-requests');
    const secure = await buildTestApp({
      config: { publicUrl: 'https://im.example.com', web: { dir: fakeDist() } },
    });
    try {
      expect(await csp(secure)).toContain('upgrade-insecure-requests');
    } finally {
      await secure.close();
    }
  });
});

describe('without a web build', () => {
  let app: App;
  beforeAll(async () => {
    app = await buildTestApp({
      config: { web: { dir: join(mkdtempSync(join(tmpdir(), 'zx-web-')), 'dist') } },
    });
  });
  afterAll(() => app.close());

  it('answers 503 with a page that says how to build it', async () => {
    const res = await app.http.inject({ method: 'GET', url: '/', headers: HTML });
    expect(res.statusCode).toBe(503);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body).toContain('npm run build');
    expect((await app.http.inject({ method: 'GET', url: '/api/v1/unknown' })).statusCode).toBe(404);
  });
});

describe('with web.enabled false', () => {
  it('serves no client at all', async () => {
    const app = await buildTestApp({ config: { web: { enabled: false, dir: fakeDist() } } });
    try {
      const res = await app.http.inject({ method: 'GET', url: '/', headers: HTML });
      expect(res.statusCode).toBe(404);
      expect(res.json()).toMatchObject({ error: { code: 'ROUTE_NOT_FOUND' } });
    } finally {
      await app.close();
    }
  });
});

describe('rate limits and the web client', () => {
  it('spends no API budget on static files', async () => {
    const app = await buildTestApp({ config: { http: { rateLimitPerMinute: 3 }, web: { dir: fakeDist() } } });
    try {
      for (let i = 0; i < 6; i++) {
        expect((await app.http.inject({ method: 'GET', url: '/assets/app-abc123.js' })).statusCode).toBe(200);
      }
      const api = [];
      for (let i = 0; i < 4; i++)
        api.push((await app.http.inject({ method: 'GET', url: '/api/v1/settings/client' })).statusCode);
      expect(api).toEqual([200, 200, 200, 429]);
    } finally {
      await app.close();
    }
  });
});
