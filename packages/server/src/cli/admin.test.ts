import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import { freshDatabaseUrl } from '../platform/db/testing.ts';
import { buildTestApp, testDialects } from '../testing/app.ts';
import { callOp, loginUser, mustCall, randomPhone } from '../testing/factories.ts';
import { runAdminCommand } from './admin.ts';

async function testConfig(dialect: 'sqlite' | 'postgres') {
  const dataDir = mkdtempSync(join(tmpdir(), 'zx-cli-'));
  const databaseUrl = await freshDatabaseUrl(dialect);
  const config = loadConfig({
    env: {},
    file: '',
    overrides: { dataDir, databaseUrl, logLevel: 'silent', security: { kdfLogN: 10 } },
  });
  return { config, dataDir, databaseUrl };
}

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t) } };
}

describe.each(testDialects())('zhixin admin create (%s)', (dialect) => {
  it('creates an administrator with a generated password printed once', async () => {
    const { config, dataDir, databaseUrl } = await testConfig(dialect);
    const phone = randomPhone();
    const c = capture();
    expect(await runAdminCommand(config, 'create', { phone, nickname: '运维' }, c.io)).toBe(0);
    const password = /Password \(shown only this once\): (\S+)/.exec(c.out.join('\n'))?.[1];
    expect(password).toBeDefined();

    const app = await buildTestApp({ dialect, dataDir, databaseUrl });
    try {
      const admin = await loginUser(app, phone, password!);
      expect(await mustCall(app, 'users.me', {}, admin.accessToken)).toMatchObject({
        role: 'admin',
        nickname: '运维',
      });
    } finally {
      await app.close();
    }
  });

  it('never echoes a given password, and fails with exit code 1 on a taken phone', async () => {
    const { config, dataDir, databaseUrl } = await testConfig(dialect);
    const phone = randomPhone();
    const c = capture();
    expect(await runAdminCommand(config, 'create', { phone, password: 'given-password-1' }, c.io)).toBe(0);
    expect(c.out.join('\n')).not.toContain('given-password-1');
    expect(await runAdminCommand(config, 'create', { phone, password: 'given-password-2' }, c.io)).toBe(1);
    expect(c.err.join('\n')).toMatch(/already registered/);

    const app = await buildTestApp({ dialect, dataDir, databaseUrl });
    try {
      expect((await loginUser(app, phone, 'given-password-1')).userId).toBeTruthy();
      const second = await callOp(app, 'auth.loginPassword', {
        phone,
        password: 'given-password-2',
        device: { deviceId: 'cli-test-device', name: 'cli', platform: 'server' },
      });
      expect(second.status).toBe(401);
    } finally {
      await app.close();
    }
  });

  it('prints the usage and exits 1 without a phone or with an unknown subcommand', async () => {
    const { config } = await testConfig(dialect);
    const c = capture();
    expect(await runAdminCommand(config, 'create', {}, c.io)).toBe(1);
    expect(await runAdminCommand(config, 'delete', { phone: randomPhone() }, c.io)).toBe(1);
    expect(c.err.every((l) => l.startsWith('usage:'))).toBe(true);
  });
});
