import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import type { TLSSocket } from 'node:tls';
import { join } from 'node:path';
import { API_PREFIX, Operations, pathParams } from '@zhixin/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../app.ts';
import { loadConfig } from '../../config.ts';
import { buildTestApp } from '../../testing/app.ts';
import { callOp, loginUser, mustCall, registerUser } from '../../testing/factories.ts';

/**
 * Attack: run script in the page (XSS), frame the page (clickjacking), sniff a download into HTML,
 * leak URLs through Referer, ride a cookie from another site (CSRF). The headers answer all of them,
 * and no route sets a cookie, so there is nothing for CSRF to ride on: every call carries a bearer
 * token that only our own script can attach.
 */

const HTML = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };

/** The directives of a Content-Security-Policy header, by name. */
function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...values]) => [name!, values]),
  );
}

function expectStrictHeaders(headers: Record<string, unknown>, where: string): void {
  const csp = directives(String(headers['content-security-policy'] ?? ''));
  expect(csp.get('default-src'), where).toEqual(["'self'"]);
  expect(csp.get('script-src'), where).toEqual(["'self'"]);
  expect(csp.get('script-src-attr'), where).toEqual(["'none'"]);
  expect(csp.get('object-src'), where).toEqual(["'none'"]);
  expect(csp.get('base-uri'), where).toEqual(["'self'"]);
  expect(csp.get('frame-ancestors'), where).toEqual(["'self'"]);
  expect(csp.get('form-action'), where).toEqual(["'self'"]);
  for (const [name, values] of csp) {
    if (name.startsWith('script')) {
      expect(values, `${where} ${name}`).not.toContain("'unsafe-inline'");
      expect(values, `${where} ${name}`).not.toContain("'unsafe-eval'");
    }
  }
  expect(headers['x-content-type-options'], where).toBe('nosniff');
  expect(headers['x-frame-options'], where).toBe('SAMEORIGIN');
  expect(headers['referrer-policy'], where).toBe('no-referrer');
  expect(headers['cross-origin-opener-policy'], where).toBe('same-origin');
  expect(headers['set-cookie'], where).toBeUndefined();
}

describe('security headers and CSRF', () => {
  let app: App;
  beforeAll(async () => {
    app = await buildTestApp();
  });
  afterAll(() => app.close());

  it('sends a strict policy on the API, errors, health and the web client', async () => {
    const user = await registerUser(app);
    const cases = [
      { url: '/healthz' },
      { url: `${API_PREFIX}/users/me` },
      { url: `${API_PREFIX}/users/me`, headers: { authorization: `Bearer ${user.accessToken}` } },
      { url: `${API_PREFIX}/nowhere` },
      { url: '/api/openapi.json' },
      { url: '/', headers: HTML },
      { url: '/chats/x', headers: HTML },
    ];
    for (const c of cases) {
      const res = await app.http.inject({ method: 'GET', ...c });
      expectStrictHeaders(res.headers, c.url);
    }
  });

  it('serves a web client with no inline script, so the policy needs no unsafe-inline', () => {
    const index = join(loadConfig({ env: {}, file: '' }).web.dir, 'index.html');
    if (!existsSync(index)) return; // no web build in this checkout: nothing to inspect
    const html = readFileSync(index, 'utf8');
    for (const tag of html.match(/<script\b[^>]*>[\s\S]*?<\/script>/gi) ?? []) {
      expect(tag).toMatch(/\bsrc=/);
      expect(
        tag
          .replace(/<script\b[^>]*>/i, '')
          .replace(/<\/script>/i, '')
          .trim(),
      ).toBe('');
    }
    expect(html).not.toMatch(/\son[a-z]+\s*=/i);
  });

  it('asks browsers to upgrade only when the public address is https', async () => {
    const plain = (await app.http.inject('/healthz')).headers['content-security-policy'];
    expect(String(plain)).not.toContain('upgrade-insecure-requests');
    const secure = await buildTestApp({ config: { publicUrl: 'https://im.example.cn' } });
    try {
      const csp = (await secure.http.inject('/healthz')).headers['content-security-policy'];
      expect(String(csp)).toContain('upgrade-insecure-requests');
    } finally {
      await secure.close();
    }
  });

  it('sets no cookie through sign-up, sign-in, refresh, logout or any operation', async () => {
    const user = await registerUser(app);
    const again = await loginUser(app, user.phone, user.password);
    const fresh = await mustCall(app, 'auth.refresh', { refreshToken: again.refreshToken });
    await mustCall(app, 'auth.logout', {}, fresh.tokens.accessToken);
    for (const name of app.ops.registered()) {
      const def = Operations[name];
      let url = API_PREFIX + def.path;
      for (const p of pathParams(def.path)) url = url.replace(`{${p}}`, 'x');
      const res = await app.http.inject({
        method: def.method,
        url,
        headers: { authorization: `Bearer ${user.accessToken}` },
        ...(def.method === 'GET' || def.method === 'DELETE' ? {} : { payload: {} }),
      });
      expect(res.headers['set-cookie'], name).toBeUndefined();
    }
  });

  it('ignores cookies: a cross-site request with only a cookie is unauthenticated', async () => {
    const user = await registerUser(app);
    const res = await app.http.inject({
      method: 'PATCH',
      url: `${API_PREFIX}/users/me`,
      headers: {
        cookie: `token=${user.accessToken}; session=${user.accessToken}`,
        origin: 'https://evil.example',
      },
      payload: { nickname: 'pwned' },
    });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ error: { code: 'UNAUTHENTICATED' } });
    const me = await callOp(app, 'users.me', {}, user.accessToken);
    expect(me.body.nickname).not.toBe('pwned');
  });

  it('grants no cross-origin access to other sites (no CORS headers, preflight refused)', async () => {
    const get = await app.http.inject({
      method: 'GET',
      url: '/healthz',
      headers: { origin: 'https://evil.example' },
    });
    expect(get.headers['access-control-allow-origin']).toBeUndefined();
    expect(get.headers['access-control-allow-credentials']).toBeUndefined();
    const preflight = await app.http.inject({
      method: 'OPTIONS',
      url: `${API_PREFIX}/users/me`,
      headers: {
        origin: 'https://evil.example',
        'access-control-request-method': 'PATCH',
        'access-control-request-headers': 'authorization,content-type',
      },
    });
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    expect(preflight.headers['access-control-allow-headers']).toBeUndefined();
  });
});

describe('TLS', () => {
  let app: App;
  let port: number;
  let ca: Buffer;
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'zx-tls-attack-'));
    const certFile = join(dir, 'cert.pem');
    const keyFile = join(dir, 'key.pem');
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'].concat(
        ['-keyout', keyFile, '-out', certFile, '-days', '1', '-subj', '/CN=127.0.0.1'],
        ['-addext', 'subjectAltName=IP:127.0.0.1'],
      ),
      { stdio: 'ignore' },
    );
    ca = readFileSync(certFile);
    app = await buildTestApp({ config: { tls: { certFile, keyFile }, publicUrl: 'https://127.0.0.1' } });
    port = await app.listen();
  });
  afterAll(() => app.close());

  function get(path: string): Promise<{ headers: Record<string, unknown>; protocol: string | null }> {
    return new Promise((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path, ca }, (res) => {
        res.resume();
        const socket = res.socket as TLSSocket;
        resolve({ headers: res.headers, protocol: socket.getProtocol() });
      });
      req.on('error', reject);
      req.end();
    });
  }

  it('sends HSTS for a year with subdomains, and the strict policy, over TLS 1.2+', async () => {
    const res = await get(`${API_PREFIX}/users/me`);
    expect(['TLSv1.2', 'TLSv1.3']).toContain(res.protocol);
    const hsts = String(res.headers['strict-transport-security']);
    expect(Number(/max-age=(\d+)/.exec(hsts)?.[1])).toBeGreaterThanOrEqual(31_536_000);
    expect(hsts).toContain('includeSubDomains');
    expectStrictHeaders(res.headers, 'https');
  });
});
