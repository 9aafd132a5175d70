import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import type { TLSSocket } from 'node:tls';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../app.ts';
import { buildTestApp } from '../testing/app.ts';

/** A self-signed certificate for 127.0.0.1, made with the openssl command line. */
function selfSigned(): { certFile: string; keyFile: string } {
  const dir = mkdtempSync(join(tmpdir(), 'zx-tls-'));
  const certFile = join(dir, 'cert.pem');
  const keyFile = join(dir, 'key.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      keyFile,
      '-out',
      certFile,
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ],
    { stdio: 'ignore' },
  );
  return { certFile, keyFile };
}

function get(
  port: number,
  ca: Buffer,
  path: string,
  tls?: { maxVersion: 'TLSv1.1' },
): Promise<{ status: number; headers: Record<string, unknown>; protocol: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, ca, ...tls }, (res) => {
      res.resume();
      const socket = res.socket as TLSSocket;
      resolve({ status: res.statusCode ?? 0, headers: res.headers, protocol: socket.getProtocol() ?? '' });
    });
    req.on('error', reject);
    req.end();
  });
}

describe('HTTPS with a provided certificate', () => {
  let app: App;
  let port: number;
  let ca: Buffer;
  beforeAll(async () => {
    const tls = selfSigned();
    ca = readFileSync(tls.certFile);
    app = await buildTestApp({ config: { tls, publicUrl: 'https://127.0.0.1' } });
    port = await app.listen();
  });
  afterAll(() => app.close());

  it('serves the API over TLS 1.2+ with HSTS', async () => {
    const res = await get(port, ca, '/healthz');
    expect(res.status).toBe(200);
    expect(['TLSv1.2', 'TLSv1.3']).toContain(res.protocol);
    expect(String(res.headers['strict-transport-security'])).toMatch(/max-age=\d{7,}/);
  });

  it('refuses TLS 1.1', async () => {
    await expect(get(port, ca, '/healthz', { maxVersion: 'TLSv1.1' })).rejects.toThrow();
  });

  it('refuses half a configuration', async () => {
    const { certFile } = selfSigned();
    await expect(buildTestApp({ config: { tls: { certFile, keyFile: '' } } })).rejects.toThrow(/tls/);
  });
});
