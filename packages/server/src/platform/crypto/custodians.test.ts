import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { resolveCustodians } from './custodians.ts';

const silent = pino({ level: 'silent' });

function dirWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'zx-cred-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text, { mode: 0o600 });
  return dir;
}

describe('resolveCustodians', () => {
  const base = { password1: '', password2: '', allowDevSecrets: false, dataDir: dirWith({}) };

  it('prefers configured passwords', () => {
    const got = resolveCustodians({ ...base, password1: 'a-one', password2: 'b-two' }, silent);
    expect(got).toEqual({ password1: 'a-one', password2: 'b-two', development: false });
  });

  it('reads systemd credentials, dropping one trailing newline', () => {
    const credentialsDir = dirWith({ custodian1: 'first secret\n', custodian2: 'second secret' });
    const got = resolveCustodians({ ...base, credentialsDir }, silent);
    expect(got).toEqual({ password1: 'first secret', password2: 'second secret', development: false });
  });

  it('stays sealed with one credential only and no development secrets', () => {
    const credentialsDir = dirWith({ custodian1: 'only one' });
    expect(resolveCustodians({ ...base, credentialsDir }, silent)).toBeNull();
  });

  it('generates development secrets once when allowed', () => {
    const dataDir = dirWith({});
    const first = resolveCustodians({ ...base, dataDir, allowDevSecrets: true }, silent);
    const second = resolveCustodians({ ...base, dataDir, allowDevSecrets: true }, silent);
    expect(first?.development).toBe(true);
    expect(second).toEqual(first);
  });
});
