import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { get } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { freshDatabaseUrl } from '../platform/db/testing.ts';
import { sendUnseal } from './unseal.ts';

const main = fileURLToPath(new URL('../main.ts', import.meta.url));
const P1 = 'first custodian secret';
const P2 = 'second custodian secret';

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

function zhixin(args: string[], env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', main, ...args], {
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

/** `zhixin unseal --custodian N` as a real process with the password piped to its stdin. */
async function unseal(env: Record<string, string>, custodian: string, password: string) {
  const child = zhixin(['unseal', '--custodian', custodian], env);
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  child.stdin!.end(`${password}\n`);
  const code = await new Promise<number | null>((r) => child.on('exit', r));
  return { code, out };
}

/** GET /healthz on a new connection each time (no keep-alive), so the requests reach every worker. */
function healthz(port: number): Promise<{ status: number; node?: string }> {
  return new Promise((resolve) => {
    get({ host: '127.0.0.1', port, path: '/healthz', agent: false }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += String(c)));
      res.on('end', () => {
        const parsed = JSON.parse(body) as { node?: string };
        resolve({ status: res.statusCode ?? 0, ...(parsed.node ? { node: parsed.node } : {}) });
      });
    }).on('error', () => resolve({ status: 0 }));
  });
}

async function until(check: () => Promise<boolean> | boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('zhixin start --workers 2, sealed (real processes)', () => {
  let server: ChildProcess | undefined;
  afterEach(async () => {
    if (server && server.exitCode === null) {
      const exited = new Promise((r) => server!.on('exit', r));
      server.kill('SIGTERM');
      await exited;
    }
    server = undefined;
  });

  it('the primary collects both passwords, then its workers boot with the KEK it hands them', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'zx-sealed-proc-'));
    const port = await freePort();
    const env = {
      ZX_DATA_DIR: dataDir,
      ZX_DATABASE_URL: await freshDatabaseUrl('sqlite'),
      ZX_PORT: String(port),
      ZX_HOST: '127.0.0.1',
      ZX_LOG_LEVEL: 'silent',
      ZX_SECURITY_ALLOW_DEV_SECRETS: 'false',
      ZX_SECURITY_KDF_LOG_N: '10',
      ZX_SECURITY_CUSTODIAN_PASSWORD1: '',
      ZX_SECURITY_CUSTODIAN_PASSWORD2: '',
    };
    server = zhixin(['start', '--workers', '2'], env);
    await until(() => existsSync(join(dataDir, 'unseal.sock')), 120_000);
    expect(await healthz(port)).toEqual({ status: 503 });

    expect(await unseal(env, '1', P1)).toMatchObject({ code: 0, out: expect.stringContaining('1 of 2') });
    // The second custodian through the same socket protocol in-process (one CLI process is enough here).
    expect(await sendUnseal(join(dataDir, 'unseal.sock'), 2, P2)).toMatchObject({ ok: true, unsealed: true });
    // Both workers got the KEK: each answers /healthz under its own node id (asked until both have).
    const nodes = new Set<string>();
    await until(async () => {
      // Refused for a moment: the primary closes its SEALED listener before the workers take the port.
      const res = await healthz(port);
      if (res.status === 200 && res.node) nodes.add(res.node);
      return nodes.size === 2;
    }, 180_000);
    expect(server.exitCode).toBeNull();
  }, 420_000);
});
