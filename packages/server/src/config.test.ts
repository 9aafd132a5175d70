import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, redactConfig } from './config.ts';

describe('loadConfig', () => {
  it('uses the defaults with nothing set', () => {
    const c = loadConfig({ env: {}, file: '' });
    expect(c.port).toBe(8080);
    expect(c.license.maxUsers).toBe(85_000);
    expect(c.databaseUrl).toBe('');
  });

  it('lets the file override defaults and the environment override the file', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'zx-cfg-')), 'zhixin.json');
    writeFileSync(file, JSON.stringify({ port: 9000, auth: { accessTtlSeconds: 60 }, dataDir: '/tmp/x' }));
    const c = loadConfig({ env: { ZX_PORT: '9100', ZX_DATA_DIR: '/tmp/y' }, file });
    expect(c.port).toBe(9100);
    expect(c.auth.accessTtlSeconds).toBe(60);
    expect(c.auth.refreshTtlDays).toBe(30);
    expect(c.dataDir).toBe('/tmp/y');
  });

  it('coerces numbers, booleans and lists from the environment', () => {
    const c = loadConfig({
      env: {
        ZX_HTTP_TRUST_PROXY: 'true',
        ZX_HTTP_CORS_ORIGINS: 'https://a.example, https://b.example',
        ZX_WORKERS: '3',
      },
      file: '',
    });
    expect(c.http.trustProxy).toBe(true);
    expect(c.http.corsOrigins).toEqual(['https://a.example', 'https://b.example']);
    expect(c.workers).toBe(3);
  });

  it('names the key of a bad value', () => {
    expect(() => loadConfig({ env: { ZX_PORT: 'eighty' }, file: '' })).toThrow(ConfigError);
    expect(() => loadConfig({ env: { ZX_PORT: '70000' }, file: '' })).toThrow(/port/);
    expect(() => loadConfig({ env: { ZX_SMS_PROVIDER: 'carrier-pigeon' }, file: '' })).toThrow(
      /sms\.provider/,
    );
    expect(() => loadConfig({ env: { ZX_HTTP_TRUST_PROXY: 'maybe' }, file: '' })).toThrow(/http\.trustProxy/);
    // A NATS subject prefix is plain tokens: no wildcard, no empty token.
    for (const bad of ['staging.>', 'a..b', '.a', 'a b', '*'])
      expect(() => loadConfig({ env: { ZX_NATS_SUBJECT_PREFIX: bad }, file: '' }), bad).toThrow(
        /natsSubjectPrefix/,
      );
    expect(
      loadConfig({ env: { ZX_NATS_SUBJECT_PREFIX: 'corp-1.staging_2' }, file: '' }).natsSubjectPrefix,
    ).toBe('corp-1.staging_2');
    // More warm connections than the pool may hold.
    expect(() =>
      loadConfig({ env: { ZX_DATABASE_POOL_SIZE: '4', ZX_DATABASE_POOL_WARM: '5' }, file: '' }),
    ).toThrow(/databasePool\.warm: 5 is more than databasePool\.size \(4\)/);
    expect(
      loadConfig({ env: { ZX_DATABASE_POOL_SIZE: '4', ZX_DATABASE_POOL_WARM: '4' }, file: '' }).databasePool,
    ).toEqual({
      size: 4,
      warm: 4,
      idleSeconds: 60,
    });
  });

  it('masks secrets when the config is shown', () => {
    const c = loadConfig({
      env: { ZX_SECURITY_CUSTODIAN_PASSWORD1: 'hunter2', ZX_DATABASE_URL: 'postgres://u:p@h/db' },
      file: '',
    });
    const shown = JSON.stringify(redactConfig(c));
    expect(shown).not.toContain('hunter2');
    expect(shown).not.toContain('u:p@h');
  });
});
