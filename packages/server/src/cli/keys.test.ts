import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../config.ts';
import { Keyring, KeyStoreRepo } from '../platform/crypto/index.ts';
import { openDatabase } from '../platform/db/index.ts';
import { freshDatabaseUrl } from '../platform/db/testing.ts';
import { createPlatform, databaseUrlOf } from '../platform/platform.ts';
import { runKeysCommand, type KeysOptions } from './keys.ts';

const P1 = 'first custodian secret';
const P2 = 'second custodian secret';

async function installation(): Promise<Config> {
  const config = loadConfig({
    env: {},
    file: '',
    overrides: {
      dataDir: mkdtempSync(join(tmpdir(), 'zx-keys-')),
      databaseUrl: await freshDatabaseUrl('sqlite'),
      logLevel: 'silent',
      security: { kdfLogN: 10, allowDevSecrets: false },
    },
  });
  const platform = await createPlatform(config, { custodians: { password1: P1, password2: P2 } });
  await platform.close();
  return config;
}

/** `zhixin keys ...` with its answers piped in. */
async function keys(config: Config, sub: string, opts: KeysOptions, lines: string[] = []) {
  const input = new PassThrough();
  const output = new PassThrough();
  const error = new PassThrough();
  let out = '';
  let err = '';
  output.on('data', (c: Buffer) => (out += c.toString()));
  error.on('data', (c: Buffer) => (err += c.toString()));
  input.end(lines.map((l) => `${l}\n`).join(''));
  const code = await runKeysCommand(config, sub, opts, { input, output, error });
  return { code, out, err };
}

async function withStore<T>(config: Config, fn: (store: KeyStoreRepo) => Promise<T>): Promise<T> {
  const database = openDatabase({ url: databaseUrlOf(config) });
  try {
    return await fn(new KeyStoreRepo(database.db, database.dialect));
  } finally {
    await database.close();
  }
}

describe('zhixin keys', () => {
  it('status lists key ids and purposes, never key material', async () => {
    const config = await installation();
    const { code, out } = await keys(config, 'status', {});
    expect(code).toBe(0);
    const stored = await withStore(config, (s) => s.loadKeys());
    for (const k of stored) {
      expect(out).toContain(k.id);
      expect(out).not.toContain(k.wrapped.slice(0, 20));
    }
    expect(out).toMatch(/data/);
    expect(out).toMatch(/index/);
    expect(out).toMatch(/jwt/);
    expect(out).toContain('nodes holding the key-encryption key: none');
  });

  it('rotate refuses a new KEK while a node holds the current one; --keep-kek adds a data key it picks up', async () => {
    const config = await installation();
    const running = await createPlatform(config, { custodians: { password1: P1, password2: P2 } });
    try {
      const refused = await keys(config, 'rotate', {}, [P1, P2]);
      expect(refused.code).toBe(4);
      expect(refused.err).toContain(running.nodeId);
      const kept = await keys(config, 'rotate', { keepKek: true }, [P1, P2]);
      expect(kept.code).toBe(0);
      const newId = /new data key (\S+);/.exec(kept.out)?.[1];
      expect(newId).toBeTruthy();
      // The running node reads what a restarted node writes with the new key (after one reload).
      const restarted = await withStore(config, (s) => Keyring.unseal(s, P1, P2, 10));
      const row = restarted.seal('after rotation', 'c');
      expect(row.startsWith(`${newId}.`)).toBe(true);
      await running.keyring.reload();
      expect(running.keyring.open(row, 'c')).toBe('after rotation');
      expect(running.keyring.seal('x', 'c').startsWith(`${newId}.`)).toBe(true);
    } finally {
      await running.close();
    }
  });

  it('rotate with no node running replaces the KEK; wrong passwords change nothing', async () => {
    const config = await installation();
    const before = await withStore(config, (s) => s.loadMeta());
    const wrong = await keys(config, 'rotate', {}, [P1, 'wrong']);
    expect(wrong.code).toBe(3);
    expect((await withStore(config, (s) => s.loadMeta()))?.kekId).toBe(before?.kekId);
    const done = await keys(config, 'rotate', {}, [P1, P2]);
    expect(done.code).toBe(0);
    const after = await withStore(config, (s) => s.loadMeta());
    expect(after?.kekId).not.toBe(before?.kekId);
    const stored = await withStore(config, (s) => s.loadKeys());
    expect(stored.every((k) => k.kekId === after?.kekId)).toBe(true);
    expect(stored.filter((k) => k.purpose === 'data' && k.retiredAt !== null)).toHaveLength(1);
    const status = await keys(config, 'status', {});
    expect(status.out).toContain(after!.kekId!);
  });

  it('change-password needs both custodians, the new one twice and the policy', async () => {
    const config = await installation();
    const next = 'a brand new secret one';
    const mismatch = await keys(config, 'change-password', { custodian: '1' }, [P1, P2, next, 'typo']);
    expect(mismatch.code).toBe(2);
    const weak = await keys(config, 'change-password', { custodian: '1' }, [P1, P2, 'short', 'short']);
    expect(weak).toMatchObject({ code: 2, err: expect.stringContaining('12') });
    const sameAsOther = await keys(config, 'change-password', { custodian: '1' }, [P1, P2, P2, P2]);
    expect(sameAsOther.code).toBe(2);
    const wrongOther = await keys(config, 'change-password', { custodian: '1' }, [
      P1,
      'not theirs',
      next,
      next,
    ]);
    expect(wrongOther.code).toBe(3);
    expect(await keys(config, 'change-password', {}, [])).toMatchObject({ code: 2 });

    const done = await keys(config, 'change-password', { custodian: '2' }, [P2, P1, next, next]);
    expect(done.code).toBe(0);
    expect(done.out).not.toContain(next);
    await withStore(config, async (s) => {
      await expect(Keyring.unseal(s, P1, P2, 10)).rejects.toMatchObject({ code: 'SEALED' });
      await expect(Keyring.unseal(s, P1, next, 10)).resolves.toBeInstanceOf(Keyring);
    });
  });
});
