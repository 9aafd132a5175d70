import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PRIVATE_KEY_FILE, PUBLIC_KEY_FILE, runLicenseCommand } from '../../cli/license.ts';
import { runAuditCommand } from '../../cli/audit.ts';
import { loadConfig } from '../../config.ts';
import { freshDatabaseUrl } from '../../platform/db/testing.ts';
import { buildTestApp, testDialects } from '../../testing/app.ts';
import { adminUser, callOp, errorOf, mustCall, registerUser, staffUser } from '../../testing/factories.ts';
import { newPayload, publicKeyText, signLicense } from './index.ts';
import { LicenseRepo } from './license.repo.ts';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t) } };
}

/** A vendor key pair in a temp dir, made by the CLI. */
async function vendorKeys(): Promise<{ dir: string; privatePem: string; publicKey: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'zx-lic-'));
  const c = capture();
  const config = loadConfig({ env: {}, file: '', overrides: {} });
  expect(await runLicenseCommand(config, ['keygen', '--out', dir], c.io)).toBe(0);
  return {
    dir,
    privatePem: readFileSync(join(dir, PRIVATE_KEY_FILE), 'utf8'),
    publicKey: readFileSync(join(dir, PUBLIC_KEY_FILE), 'utf8').trim(),
  };
}

describe.each(testDialects())('license (%s)', (dialect) => {
  it('keygen, issue and install round-trip through the CLI; the console sees it; tampering is refused', async () => {
    const keys = await vendorKeys();
    expect(statSync(join(keys.dir, PRIVATE_KEY_FILE)).mode & 0o777).toBe(0o600);
    const lic = join(keys.dir, 'customer.lic');
    const c = capture();
    const base = loadConfig({ env: {}, file: '', overrides: {} });
    expect(
      await runLicenseCommand(
        base,
        [
          'issue',
          '--key',
          join(keys.dir, PRIVATE_KEY_FILE),
          '--licensee',
          '某单位',
          '--users',
          '85000',
          '--days',
          '365',
          '--out',
          lic,
        ],
        c.io,
      ),
    ).toBe(0);
    expect(readFileSync(lic, 'utf8')).not.toContain('PRIVATE');

    const dataDir = mkdtempSync(join(tmpdir(), 'zx-lic-db-'));
    const databaseUrl = await freshDatabaseUrl(dialect);
    const overrides = {
      dataDir,
      databaseUrl,
      logLevel: 'silent' as const,
      security: { kdfLogN: 10 },
      license: { publicKeys: [keys.publicKey] },
    };
    const config = loadConfig({ env: {}, file: '', overrides });

    const tampered = join(keys.dir, 'tampered.lic');
    const file = JSON.parse(readFileSync(lic, 'utf8')) as { payload: string };
    const payload = JSON.parse(Buffer.from(file.payload, 'base64').toString()) as { maxUsers: number };
    payload.maxUsers = 1_000_000;
    writeFileSync(
      tampered,
      JSON.stringify({ ...file, payload: Buffer.from(JSON.stringify(payload)).toString('base64') }),
    );
    const bad = capture();
    expect(await runLicenseCommand(config, ['install', tampered], bad.io)).toBe(1);
    expect(bad.err.join('\n')).toMatch(/signature does not verify/);

    const fileShown = capture();
    expect(await runLicenseCommand(config, ['show', tampered], fileShown.io)).toBe(0);
    expect(fileShown.out.join('\n')).toMatch(/Signature: +NOT verified/);
    expect(await runLicenseCommand(config, ['show', lic], fileShown.io)).toBe(0);
    expect(fileShown.out.at(-1)).toMatch(/Signature: +verified/);

    const ok = capture();
    expect(await runLicenseCommand(config, ['install', lic], ok.io)).toBe(0);
    expect(ok.out.join('\n')).toMatch(/State: +valid/);
    const shown = capture();
    expect(await runLicenseCommand(config, ['show'], shown.io)).toBe(0);
    expect(shown.out.join('\n')).toMatch(/Licensee: +某单位/);

    const app = await buildTestApp({
      dialect,
      dataDir,
      databaseUrl,
      config: { license: { publicKeys: [keys.publicKey] } },
    });
    try {
      const operator = await staffUser(app, 'operator');
      const admin = await adminUser(app);
      const status = await mustCall(app, 'license.get', {}, operator.accessToken);
      expect(status).toMatchObject({ state: 'valid', maxUsers: 85_000, acceptsNewUsers: true });
      expect(status.license?.licensee).toBe('某单位');
      expect(status.used).toBe(2);
      const refused = await callOp(
        app,
        'license.install',
        { text: readFileSync(tampered, 'utf8') },
        admin.accessToken,
      );
      expect(errorOf(refused)).toEqual({ status: 422, code: 'LICENSE_INVALID' });
      // A key the server does not trust signs nothing it accepts.
      const stranger = generateKeyPairSync('ed25519')
        .privateKey.export({ format: 'pem', type: 'pkcs8' })
        .toString();
      const foreign = signLicense(stranger, newPayload('冒名', 1_000_000, 365));
      expect(errorOf(await callOp(app, 'license.install', { text: foreign }, admin.accessToken)).code).toBe(
        'LICENSE_INVALID',
      );
      expect((await mustCall(app, 'license.get', {}, admin.accessToken)).license?.licensee).toBe('某单位');
      // The install was evidence, and the chain verifies from the CLI.
      const audit = await mustCall(app, 'audit.list', { action: 'admin.license.install' }, admin.accessToken);
      expect(audit.records).toHaveLength(1);
    } finally {
      await app.close();
    }
    const verify = capture();
    expect(await runAuditCommand(config, ['verify'], verify.io)).toBe(0);
    expect(verify.out.join('\n')).toMatch(/Audit log intact/);
    // An edited record breaks the chain: exit code 3, naming the record.
    const again = await buildTestApp({
      dialect,
      dataDir,
      databaseUrl,
      config: { license: { publicKeys: [keys.publicKey] } },
    });
    try {
      await again.platform.db
        .updateTable('audit_log')
        .set({ action: 'admin.edited' })
        .where('seq', '=', 1)
        .execute();
    } finally {
      await again.close();
    }
    const broken = capture();
    expect(await runAuditCommand(config, ['verify'], broken.io)).toBe(3);
    expect(broken.err.join('\n')).toMatch(/BROKEN at record #1/);
  });

  it('enforces the licensed count, refuses new users after expiry and runs unlicensed on the config cap', async () => {
    const keys = await vendorKeys();
    const app = await buildTestApp({
      dialect,
      config: { license: { publicKeys: [keys.publicKey], maxUsers: 50 } },
    });
    try {
      const admin = await adminUser(app);
      const missing = await mustCall(app, 'license.get', {}, admin.accessToken);
      expect(missing).toMatchObject({ state: 'missing', license: null, maxUsers: 50 });
      const first = await registerUser(app);
      const used = (await mustCall(app, 'license.get', {}, admin.accessToken)).used;
      const small = signLicense(keys.privatePem, newPayload('小单位', used + 1, 30));
      expect((await mustCall(app, 'license.install', { text: small }, admin.accessToken)).maxUsers).toBe(
        used + 1,
      );
      const last = await registerUser(app);
      const over = await callOp(app, 'auth.sendSmsCode', { phone: '+8613900000001', purpose: 'register' });
      expect(errorOf(over)).toEqual({ status: 422, code: 'LICENSE_EXHAUSTED' });
      await expect(
        app.services.auth.provisionUser({ phone: '13900000002', nickname: '导入' }),
      ).rejects.toMatchObject({
        code: 'LICENSE_EXHAUSTED',
      });
      // Disabling frees a seat; enabling needs one back.
      await mustCall(
        app,
        'admin.users.setDisabled',
        { userId: last.userId, disabled: true },
        admin.accessToken,
      );
      await app.services.auth.provisionUser({ phone: '13900000003', nickname: '补位' });
      const enable = await callOp(
        app,
        'admin.users.setDisabled',
        { userId: last.userId, disabled: false },
        admin.accessToken,
      );
      expect(errorOf(enable)).toEqual({ status: 422, code: 'LICENSE_EXHAUSTED' });

      // Installing an already expired file is refused; one that expires after installing stops new users only.
      const expiredFile = signLicense(
        keys.privatePem,
        newPayload('过期', 1000, 1, Date.now() - 10 * 86_400_000),
      );
      const refused = await callOp(app, 'license.install', { text: expiredFile }, admin.accessToken);
      expect(errorOf(refused)).toEqual({ status: 403, code: 'LICENSE_EXPIRED' });
      await new LicenseRepo(app.platform.db).insert({
        id: 'expired-later',
        text: expiredFile,
        installedAt: Date.now() + 1,
        installedBy: null,
      });
      const expired = await mustCall(app, 'license.get', {}, admin.accessToken);
      expect(expired).toMatchObject({ state: 'expired', maxUsers: 1000, acceptsNewUsers: false });
      const register = await callOp(app, 'auth.sendSmsCode', {
        phone: '+8613900000004',
        purpose: 'register',
      });
      expect(errorOf(register)).toEqual({ status: 403, code: 'LICENSE_EXPIRED' });
      expect((await mustCall(app, 'users.me', {}, first.accessToken)).id).toBe(first.userId);
      const login = await callOp(app, 'auth.loginPassword', {
        phone: first.phone,
        password: first.password,
        device: { deviceId: 'after-expiry', name: 'x', platform: 'web' },
      });
      expect(login.status).toBe(200);
    } finally {
      await app.close();
    }
  });

  it('refuses a malformed public key in the config, naming the key', async () => {
    await expect(
      buildTestApp({ dialect, config: { license: { publicKeys: ['bm90IGEga2V5'] } } }),
    ).rejects.toThrow(/license\.publicKeys\[0\]/);
    const raw = generateKeyPairSync('ed25519').publicKey;
    expect(publicKeyText(raw)).toMatch(/^MC/);
  });
});
