import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { randomToken } from '../ids.ts';

export interface CustodianPasswords {
  password1: string;
  password2: string;
  development: boolean;
}

/** Read systemd credentials `custodian1` and `custodian2` (LoadCredential=) when both are there. */
function fromCredentials(dir: string | undefined): { password1: string; password2: string } | null {
  if (!dir) return null;
  const read = (name: string): string | null => {
    const file = join(dir, name);
    return existsSync(file) ? readFileSync(file, 'utf8').replace(/\r?\n$/, '') : null;
  };
  const password1 = read('custodian1');
  const password2 = read('custodian2');
  return password1 && password2 ? { password1, password2 } : null;
}

/**
 * The two custodian passwords: from config/env when given; else from systemd credentials
 * (`$CREDENTIALS_DIRECTORY/custodian1` and `custodian2`, root-only files passed with LoadCredential=);
 * otherwise, when allowed (the embedded default), development secrets generated once under the data
 * dir, with a loud warning.
 */
export function resolveCustodians(
  opts: {
    password1: string;
    password2: string;
    allowDevSecrets: boolean;
    dataDir: string;
    /** `$CREDENTIALS_DIRECTORY` of a systemd service. */
    credentialsDir?: string;
  },
  log: Logger,
): CustodianPasswords | null {
  if (opts.password1 && opts.password2)
    return { password1: opts.password1, password2: opts.password2, development: false };
  const credentials = fromCredentials(opts.credentialsDir);
  if (credentials) return { ...credentials, development: false };
  if (!opts.allowDevSecrets) return null;
  const file = join(opts.dataDir, 'dev-custodians.json');
  if (!existsSync(file)) {
    mkdirSync(opts.dataDir, { recursive: true });
    writeFileSync(file, JSON.stringify({ password1: randomToken(24), password2: randomToken(24) }), {
      mode: 0o600,
    });
  }
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as { password1: string; password2: string };
  log.warn(
    { file },
    'DEVELOPMENT SECRETS: the master key is unsealed with generated custodian passwords stored on this disk. ' +
      'For production set ZX_SECURITY_CUSTODIAN_PASSWORD1 and ZX_SECURITY_CUSTODIAN_PASSWORD2 (held by two people) and ZX_SECURITY_ALLOW_DEV_SECRETS=false.',
  );
  return { ...parsed, development: true };
}
