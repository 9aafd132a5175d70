import type { Config } from '../config.ts';
import { isAppError } from '../errors.ts';
import { KeyStoreRepo } from '../platform/crypto/index.ts';
import { changeCustodianPassword, rotateKeys } from '../platform/crypto/master.ts';
import { migrateToLatest, openDatabase } from '../platform/db/index.ts';
import { createLogger } from '../platform/logger.ts';
import { configuredCustodians, databaseUrlOf, KEY_LEASE_TTL_MS } from '../platform/platform.ts';
import { processIo, Prompter, type CliIo } from './prompt.ts';

const USAGE = `usage: zhixin keys status
       zhixin keys rotate [--keep-kek]
       zhixin keys change-password --custodian 1|2`;

export interface KeysOptions {
  custodian?: string | undefined;
  keepKek?: boolean | undefined;
}

const iso = (ms: number | null) => (ms === null ? '-' : new Date(ms).toISOString());

function describeError(err: unknown): string {
  if (!isAppError(err)) return (err as Error).message;
  const reason = (err.details as { reason?: string } | undefined)?.reason;
  return `${err.code}: ${err.message}${reason ? ` (${reason})` : ''}`;
}

/** Both custodian passwords: from config/env/credentials like `zhixin start`, else asked for. */
async function bothPasswords(
  config: Config,
  prompt: Prompter,
): Promise<{ password1: string; password2: string }> {
  const configured = configuredCustodians(config, createLogger('silent'));
  if (configured) return configured;
  const password1 = await prompt.askSecret('Password of custodian 1: ');
  const password2 = await prompt.askSecret('Password of custodian 2: ');
  return { password1, password2 };
}

/**
 * `zhixin keys status|rotate|change-password` against the configured database, the server running or
 * not. No secret is ever printed. Exit codes: 0 done, 1 error, 2 usage, 3 wrong passwords, 4 refused
 * because running nodes hold the key-encryption key.
 */
export async function runKeysCommand(
  config: Config,
  sub: string | undefined,
  opts: KeysOptions,
  io: CliIo = processIo(),
): Promise<number> {
  const say = (text: string) => io.output.write(`${text}\n`);
  if (sub !== 'status' && sub !== 'rotate' && sub !== 'change-password') {
    io.error.write(`${USAGE}\n`);
    return 2;
  }
  const custodian = opts.custodian === '1' ? 1 : opts.custodian === '2' ? 2 : null;
  if (sub === 'change-password' && !custodian) {
    io.error.write(`${USAGE}\n`);
    return 2;
  }
  const database = openDatabase({ url: databaseUrlOf(config) });
  const prompt = new Prompter(io);
  try {
    await migrateToLatest(database);
    const store = new KeyStoreRepo(database.db, database.dialect);
    const meta = await store.loadMeta();
    if (!meta) {
      io.error.write('zhixin keys: no keys yet: start (and unseal) the server once first\n');
      return 1;
    }
    const holders = await store.live(Date.now() - KEY_LEASE_TTL_MS);
    if (sub === 'status') {
      say(
        `master key: scrypt 2^${meta.logN}, key-encryption key ${meta.kekId ?? '(none yet: created at the next unseal)'}`,
      );
      say('keys (id, purpose, wrapped by, created, retired):');
      const keys = (await store.loadKeys()).sort((a, b) => a.id.localeCompare(b.id));
      for (const k of keys)
        say(
          `  ${k.id}  ${k.purpose.padEnd(5)}  ${k.kekId ?? 'master'}  ${iso(k.createdAt)}  ${iso(k.retiredAt)}`,
        );
      say(
        `nodes holding the key-encryption key: ${holders.length ? holders.map((h) => h.nodeId).join(', ') : 'none'}`,
      );
      return 0;
    }
    if (sub === 'rotate') {
      const newKek = !opts.keepKek;
      if (newKek && holders.length) {
        io.error.write(
          `zhixin keys rotate: ${holders.length} running node(s) hold the current key-encryption key ` +
            `(${holders.map((h) => h.nodeId).join(', ')}); they could not read keys wrapped by a new one. ` +
            'Stop them and run this again, or use --keep-kek to add a new data key under the current one.\n',
        );
        return 4;
      }
      const { password1, password2 } = await bothPasswords(config, prompt);
      const done = await rotateKeys(store, password1, password2, { newKek });
      say(`new data key ${done.dataKeyId}; key-encryption key ${done.kekId}${newKek ? ' (new)' : ' (kept)'}`);
      if (!newKek && holders.length) say('running nodes switch to the new data key within a minute');
      return 0;
    }
    const other = custodian === 1 ? 2 : 1;
    const current = await prompt.askSecret(`Current password of custodian ${custodian}: `);
    const otherPassword = await prompt.askSecret(`Password of custodian ${other} (both are needed): `);
    const next = await prompt.askSecret(`New password of custodian ${custodian}: `);
    const again = await prompt.askSecret(`New password of custodian ${custodian}, again: `);
    if (next !== again) {
      io.error.write('zhixin keys change-password: the new passwords differ; nothing changed\n');
      return 2;
    }
    const pair =
      custodian === 1
        ? { password1: current, password2: otherPassword }
        : { password1: otherPassword, password2: current };
    await changeCustodianPassword(store, custodian!, pair, next);
    say(
      `custodian ${custodian}'s password changed (the key-encryption key was re-wrapped; data keys unchanged)`,
    );
    return 0;
  } catch (err) {
    io.error.write(`zhixin keys ${sub}: ${describeError(err)}\n`);
    return isAppError(err) && err.code === 'SEALED'
      ? 3
      : isAppError(err) && err.code === 'VALIDATION_FAILED'
        ? 2
        : 1;
  } finally {
    prompt.close();
    await database.close();
  }
}
