import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { LicensePayload, LicenseStatus } from '@zhixin/protocol';
import type { Config } from '../config.ts';
import { isAppError } from '../errors.ts';
import { createAuditLog } from '../modules/audit/index.ts';
import {
  licenseServiceFor,
  newPayload,
  parsePublicKey,
  publicKeyText,
  readPayloadUnverified,
  signLicense,
  verifyLicense,
} from '../modules/license/index.ts';
import { createUsersModule } from '../modules/users/index.ts';
import { createImagesModule } from '../modules/images/index.ts';
import { OperationRegistry } from '../http/operations.ts';
import { codeSignerFor } from '../platform/crypto/signed-codes.ts';
import { createPlatform } from '../platform/platform.ts';
import type { CommandOutput } from './admin.ts';

export const PRIVATE_KEY_FILE = 'license-signing.key';
export const PUBLIC_KEY_FILE = 'license-signing.pub';

const USAGE = `usage:
  zhixin license keygen --out <dir>          write an Ed25519 key pair (the private key 0600; keep it with the vendor)
  zhixin license issue --key <private key> --licensee <name> --users <n> --days <n> --out <file.lic>
  zhixin license install <file.lic>          verify against license.publicKeys and store in the database
  zhixin license show [file.lic]             the license in force (or what a file says)`;

const consoleOutput: CommandOutput = {
  out: (text) => console.log(text),
  err: (text) => console.error(text),
};

function describe(err: unknown): string {
  if (!isAppError(err)) return (err as Error).message;
  return err.details === undefined ? err.message : `${err.message} ${JSON.stringify(err.details)}`;
}

function day(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function payloadLines(p: LicensePayload): string[] {
  return [
    `Licensee:   ${p.licensee}`,
    `Users:      ${p.maxUsers}`,
    `Valid:      ${day(p.validFrom)} to ${day(p.validUntil)}`,
    `Issued:     ${new Date(p.issuedAt).toISOString()}`,
    `License id: ${p.id}`,
  ];
}

function statusLines(s: LicenseStatus): string[] {
  const head =
    s.state === 'missing' ? 'State:      missing (unlicensed evaluation)' : `State:      ${s.state}`;
  return [
    head,
    ...(s.license ? payloadLines(s.license) : []),
    `Seats:      ${s.used} used of ${s.maxUsers}${s.acceptsNewUsers ? '' : ' (no new users accepted)'}`,
  ];
}

function keygen(out: string | undefined, io: CommandOutput): number {
  if (!out) {
    io.err(USAGE);
    return 1;
  }
  mkdirSync(out, { recursive: true });
  const privatePath = join(out, PRIVATE_KEY_FILE);
  const publicPath = join(out, PUBLIC_KEY_FILE);
  if (existsSync(privatePath) || existsSync(publicPath)) {
    io.err(`zhixin: ${out} already holds a license key pair; refusing to overwrite it`);
    return 1;
  }
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  writeFileSync(privatePath, privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600 });
  const pub = publicKeyText(publicKey);
  writeFileSync(publicPath, `${pub}\n`, { mode: 0o644 });
  io.out(`Wrote ${privatePath} (private, 0600: keep it off the servers) and ${publicPath}.`);
  io.out(`Servers trust it with: ZX_LICENSE_PUBLIC_KEYS=${pub}`);
  return 0;
}

function positive(raw: unknown, name: string): number {
  const n = Number(raw);
  if (typeof raw !== 'string' || !Number.isInteger(n) || n < 1)
    throw new Error(`--${name} must be a positive integer`);
  return n;
}

function issue(v: Record<string, unknown>, io: CommandOutput): number {
  const { key, licensee, out } = v;
  if (
    typeof key !== 'string' ||
    typeof licensee !== 'string' ||
    typeof out !== 'string' ||
    !licensee.trim()
  ) {
    io.err(USAGE);
    return 1;
  }
  const payload = newPayload(licensee.trim(), positive(v.users, 'users'), positive(v.days, 'days'));
  writeFileSync(out, signLicense(readFileSync(key, 'utf8'), payload));
  io.out(`Wrote ${out}:`);
  for (const line of payloadLines(payload)) io.out(`  ${line}`);
  return 0;
}

/** Whether a file verifies against the keys this server trusts. */
function signatureVerdict(text: string, config: Config): string {
  try {
    verifyLicense(text, config.license.publicKeys.map(parsePublicKey));
    return 'verified with license.publicKeys';
  } catch (err) {
    return `NOT verified (${describe(err)})`;
  }
}

/** install and show without a file: the database (every node sees what is installed there). */
async function withLicense(
  config: Config,
  io: CommandOutput,
  run: (ctx: {
    license: ReturnType<typeof licenseServiceFor>;
    audit: ReturnType<typeof createAuditLog>;
  }) => Promise<number>,
): Promise<number> {
  const platform = await createPlatform(config);
  try {
    const ops = new OperationRegistry(() => {
      throw new Error('the license command authenticates no one');
    });
    const deps = {
      platform,
      ops,
      events: { emit: () => {}, emitToAll: () => {} },
      codes: codeSignerFor(platform.keyring),
    };
    const users = createUsersModule({ ...deps, images: createImagesModule(deps) });
    const license = licenseServiceFor(platform.db, config.license, users);
    return await run({ license, audit: createAuditLog(platform.database, platform.keyring) });
  } catch (err) {
    io.err(`zhixin: ${describe(err)}`);
    return 1;
  } finally {
    await platform.close();
  }
}

/** `zhixin license keygen|issue|install|show`. Returns the process exit code. */
export async function runLicenseCommand(
  config: Config,
  args: readonly string[],
  io: CommandOutput = consoleOutput,
): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    options: {
      out: { type: 'string' },
      key: { type: 'string' },
      licensee: { type: 'string' },
      users: { type: 'string' },
      days: { type: 'string' },
    },
    allowPositionals: true,
    strict: false,
  });
  const [sub, file] = positionals;
  try {
    switch (sub) {
      case 'keygen':
        return keygen(values.out as string | undefined, io);
      case 'issue':
        return issue(values, io);
      case 'install':
        if (!file) break;
        return await withLicense(config, io, async ({ license, audit }) => {
          const status = await license.install(readFileSync(file, 'utf8'), null);
          await audit.append({
            category: 'admin',
            action: 'admin.license.install',
            actorId: null,
            details: { via: 'cli', license: status.license },
          });
          io.out('License installed.');
          for (const line of statusLines(status)) io.out(line);
          return 0;
        });
      case 'show':
        if (file) {
          const payload = readPayloadUnverified(readFileSync(file, 'utf8'));
          if (!payload) {
            io.err('zhixin: not a license file');
            return 1;
          }
          for (const line of payloadLines(payload)) io.out(line);
          io.out(`Signature:  ${signatureVerdict(readFileSync(file, 'utf8'), config)}`);
          return 0;
        }
        return await withLicense(config, io, async ({ license }) => {
          for (const line of statusLines(await license.status())) io.out(line);
          return 0;
        });
    }
  } catch (err) {
    io.err(`zhixin: ${describe(err)}`);
    return 1;
  }
  io.err(USAGE);
  return 1;
}
