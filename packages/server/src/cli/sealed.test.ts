import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { WebSocket } from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import type { App } from '../app.ts';
import { loadConfig, type Config } from '../config.ts';
import { freshDatabaseUrl } from '../platform/db/testing.ts';
import { createLogger } from '../platform/logger.ts';
import { createPlatform } from '../platform/platform.ts';
import type { CliIo } from './prompt.ts';
import { unsealSocketPath } from './sealed.ts';
import { bootApp } from './start.ts';
import { runUnseal } from './unseal.ts';

const P1 = 'first custodian secret';
const P2 = 'second custodian secret';

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

async function sealedConfig(): Promise<Config> {
  return loadConfig({
    env: {},
    file: '',
    overrides: {
      port: await freePort(),
      host: '127.0.0.1',
      dataDir: mkdtempSync(join(tmpdir(), 'zx-sealed-')),
      databaseUrl: await freshDatabaseUrl('sqlite'),
      logLevel: 'silent',
      security: { kdfLogN: 10, allowDevSecrets: false },
    },
  });
}

/** `zhixin unseal` with its answers piped in, as automation would. */
async function unseal(config: Config, lines: string[], custodian?: string) {
  const input = new PassThrough();
  const output = new PassThrough();
  const error = new PassThrough();
  let out = '';
  let err = '';
  output.on('data', (c: Buffer) => (out += c.toString()));
  error.on('data', (c: Buffer) => (err += c.toString()));
  input.end(lines.map((l) => `${l}\n`).join(''));
  const io: CliIo = { input, output, error };
  const code = await runUnseal(config, { custodian }, io);
  return { code, out, err };
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 25));
  expect(check()).toBe(true);
}

function upgradeStatus(port: number): Promise<string> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`);
    ws.on('open', () => resolve('open'));
    ws.on('error', (e) => resolve(e.message));
  });
}

describe('sealed start (no custodian passwords configured)', () => {
  let app: App | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('answers 503 SEALED until both custodians run `zhixin unseal`, then boots without a restart', async () => {
    const config = await sealedConfig();
    // The installation exists already (its passwords were given once); its data must survive.
    const first = await createPlatform(config, { custodians: { password1: P1, password2: P2 } });
    const before = first.keyring.seal('written before the restart', 'test.context');
    await first.close();

    let booted: App | undefined;
    const booting = bootApp(config, createLogger('silent')).then((a) => (booted = a));
    const socket = unsealSocketPath(config);
    await until(() => existsSync(socket));
    expect(statSync(socket).mode & 0o777).toBe(0o600);

    const base = `http://127.0.0.1:${config.port}`;
    for (const path of ['/healthz', '/readyz', '/api/auth/login', '/api/users/me']) {
      const res = await fetch(`${base}${path}`, { method: path.startsWith('/api/auth') ? 'POST' : 'GET' });
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ error: { code: 'SEALED' } });
    }
    expect(await upgradeStatus(config.port)).toContain('503');

    expect(await unseal(config, ['1', P1])).toMatchObject({
      code: 0,
      out: expect.stringContaining('1 of 2'),
    });
    // A wrong second password: both are discarded, the server stays sealed.
    const wrong = await unseal(config, ['not the right one'], '2');
    expect(wrong).toMatchObject({ code: 3, err: expect.stringContaining('SEALED') });
    expect(wrong.err).not.toContain('not the right one');
    expect((await fetch(`${base}/healthz`)).status).toBe(503);
    // After a mismatch custodian 1 must give theirs again: custodian 2 alone is "1 of 2".
    expect(await unseal(config, [P2], '2')).toMatchObject({
      code: 0,
      out: expect.stringContaining('1 of 2'),
    });
    expect(await unseal(config, [P1], '1')).toMatchObject({
      code: 0,
      out: expect.stringContaining('Unsealed'),
    });

    app = await booting;
    expect(booted).toBe(app);
    await app.listen();
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    expect(app.platform.keyring.open(before, 'test.context')).toBe('written before the restart');
    expect(existsSync(socket)).toBe(false);
    // The socket is gone with the sealed state: a late `zhixin unseal` says so.
    expect(await unseal(config, ['1', P1])).toMatchObject({
      code: 1,
      err: expect.stringContaining('no sealed server'),
    });
  });

  it('refuses a malformed unseal request and a custodian other than 1 or 2', async () => {
    const config = await sealedConfig();
    const booting = bootApp(config, createLogger('silent'));
    await until(() => existsSync(unsealSocketPath(config)));
    expect(await unseal(config, ['3', P1])).toMatchObject({ code: 2 });
    expect(await unseal(config, [P1], 'x')).toMatchObject({ code: 2 });
    // A fresh installation takes its custodian passwords from the first unseal.
    expect(await unseal(config, [P1], '1')).toMatchObject({ code: 0 });
    expect(await unseal(config, [P2], '2')).toMatchObject({
      code: 0,
      out: expect.stringContaining('Unsealed'),
    });
    app = await booting;
    const again = await createPlatform(config, { custodians: { password1: P1, password2: P2 } });
    await again.close();
  });
});
