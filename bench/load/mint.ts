/**
 * Bulk login minting for the load scenarios (issue 9): N users, each with a session and a
 * long-lived access token, written before the server starts, in this process.
 *
 * How to call it (helper scenarios keep to this API):
 *
 *   const target = await prepareTarget('sqlite');          // or targetFor(flags) below
 *   const minted = await mintLogins(target, 600_000);       // { credentials, staff, seconds, reused }
 *   // start the server on the same target (cluster-server.ts), then fleet.connect(minted.credentials)
 *
 * `mintLogins` caches what it made in `<dataDir>/bench-credentials.tsv`; `targetFor({reuse: dir})`
 * reopens that data dir (SQLite file or PostgreSQL database recorded in `<dataDir>/bench-target.json`),
 * and a later `mintLogins` on it only adds the users still missing (and re-signs tokens that expire
 * within a day). Users go straight through the users and sessions repositories in write transactions
 * of CHUNK rows (no SMS codes, no password hashing): about 10,000 logins/s on SQLite.
 */
import { createHmac, createSecretKey, type KeyObject } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Role } from '@zhixin/protocol';
import { loadConfig } from '../../packages/server/src/config.ts';
import { SessionsRepo } from '../../packages/server/src/modules/auth/sessions.repo.ts';
import { hashRefreshToken } from '../../packages/server/src/modules/auth/tokens.ts';
import { UsersRepo } from '../../packages/server/src/modules/users/users.repo.ts';
import { MemoryBroker } from '../../packages/server/src/platform/broker/index.ts';
import { writeTransaction } from '../../packages/server/src/platform/db/index.ts';
import { newId } from '../../packages/server/src/platform/ids.ts';
import { randomBytesPooled } from '../../packages/server/src/platform/random.ts';
import { createLogger } from '../../packages/server/src/platform/logger.ts';
import { createPlatform, type Platform } from '../../packages/server/src/platform/platform.ts';
import { prepareTarget, type Target } from '../lib/server.ts';
import type { Credential } from './types.ts';

/** Access tokens minted here live this long, so a cached set serves runs over several days. */
export const MINT_TTL_SECONDS = 14 * 86_400;
const RESIGN_MARGIN_MS = 86_400_000;
/** Rows per write transaction: large enough to amortize the commit, small enough to show progress. */
const CHUNK = 5_000;
/** Write transactions at once on PostgreSQL (its pool holds 10 connections). */
const PG_PARALLEL = 4;
const CREDENTIALS_FILE = 'bench-credentials.tsv';
const TARGET_FILE = 'bench-target.json';
const DAY_MS = 86_400_000;

export interface MintedLogins {
  /** Connection i of a fleet logs in with credentials[i] (ordinary users). */
  credentials: Credential[];
  /** An administrator (e.g. to post as the operations account). */
  staff: Credential;
  /** Wall time of this call (reading the cache, minting what was missing). */
  seconds: number;
  /** How many of the credentials came from the cache. */
  reused: number;
}

interface CachedLogin {
  userId: string;
  sessionId: string;
  role: Role;
  accessToken: string;
  expiresAt: number;
}

/**
 * The store of a run: a fresh one (`reuse` absent), or the data dir of an earlier run, reopened
 * from the target it recorded. Every scenario of issue 9 takes `--target sqlite|pg` and `--reuse DIR`.
 */
export async function targetFor(opts: { target?: string; reuse?: string }): Promise<Target> {
  if (opts.reuse) {
    const file = join(opts.reuse, TARGET_FILE);
    if (!existsSync(file)) throw new Error(`--reuse ${opts.reuse}: no ${TARGET_FILE} there`);
    return JSON.parse(readFileSync(file, 'utf8')) as Target;
  }
  const name = opts.target === 'pg' ? 'pg' : 'sqlite';
  const target = await prepareTarget(name);
  writeFileSync(join(target.dataDir, TARGET_FILE), JSON.stringify(target));
  return target;
}

/** `count` ordinary logins plus one administrator on `target`; see the file comment. */
export async function mintLogins(
  target: Target,
  count: number,
  opts: { progress?: boolean } = {},
): Promise<MintedLogins> {
  const started = performance.now();
  const say = opts.progress === false ? () => undefined : (m: string) => console.error(m);
  if (!existsSync(join(target.dataDir, TARGET_FILE)))
    writeFileSync(join(target.dataDir, TARGET_FILE), JSON.stringify(target));
  const cached = await readCache(target.dataDir);
  const platform = await openPlatform(target);
  try {
    const minter = new Minter(platform);
    const now = Date.now();
    let staff = cached.find((c) => c.role === 'admin');
    const users = cached.filter((c) => c.role === 'user');
    const reused = Math.min(users.length, count);
    if (users.length > 0) say(`mint: ${users.length} logins cached in ${target.dataDir}`);
    const stale = [...users, ...(staff ? [staff] : [])].filter((c) => c.expiresAt - now < RESIGN_MARGIN_MS);
    if (stale.length > 0) {
      say(`mint: re-signing ${stale.length} access tokens that expire within a day`);
      for (const c of stale) Object.assign(c, minter.sign(c, now));
      await writeCache(target.dataDir, [...(staff ? [staff] : []), ...users], false);
    }
    if (!staff) {
      [staff] = await minter.create(['admin'], users.length);
      await writeCache(target.dataDir, [staff as CachedLogin], true);
    }
    // PostgreSQL answers each row over the network: several transactions at once hide the round
    // trips. SQLite has one writer; its rows cost microseconds.
    const parallel = platform.dialect === 'postgres' ? PG_PARALLEL : 1;
    for (let next = users.length; next < count;) {
      const starts: number[] = [];
      for (let at = next; at < count && starts.length < parallel; at += CHUNK) starts.push(at);
      const made = await Promise.all(
        starts.map((at) => minter.create(Array<Role>(Math.min(CHUNK, count - at)).fill('user'), at)),
      );
      for (const chunk of made) {
        await writeCache(target.dataDir, chunk, true);
        for (const c of chunk) users.push(c);
        next += chunk.length;
      }
      if (
        Math.floor(next / 50_000) !== Math.floor((next - CHUNK * starts.length) / 50_000) ||
        next === count
      ) {
        const s = (performance.now() - started) / 1000;
        say(`mint: ${next}/${count} logins (${Math.round((next - reused) / s)}/s)`);
      }
    }
    const pick = (c: CachedLogin): Credential => ({ userId: c.userId, accessToken: c.accessToken });
    return {
      credentials: users.slice(0, count).map(pick),
      staff: pick(staff as CachedLogin),
      seconds: (performance.now() - started) / 1000,
      reused,
    };
  } finally {
    await platform.close();
  }
}

/** The platform alone (database, keys) on the target's store: the modules are not needed to write rows. */
async function openPlatform(target: Target): Promise<Platform> {
  const config = loadConfig({
    env: {},
    file: '',
    overrides: {
      dataDir: target.dataDir,
      databaseUrl: target.databaseUrl,
      logLevel: 'warn',
      auth: { accessTtlSeconds: MINT_TTL_SECONDS },
    },
  });
  // Its warnings (e.g. development secrets) go to stderr: stdout is the benchmark's report.
  return createPlatform(config, {
    broker: new MemoryBroker(),
    log: createLogger('warn', 'zhixin', process.stderr),
  });
}

/**
 * Writes users and sessions through their repositories and signs access tokens with the server's
 * key. The tokens are the exact HS256 JWTs of AccessTokens.sign (same header, claims and audience;
 * the scenarios' smoke tests log in with them), signed here with one HMAC each:
 * jose's async signer costs about 0.5 ms a token, 5 minutes for 600,000.
 */
class Minter {
  private readonly key: KeyObject;
  private readonly header = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));

  constructor(private readonly platform: Platform) {
    this.key = jwtKeyObject(platform);
  }

  sign(
    c: Pick<CachedLogin, 'userId' | 'sessionId' | 'role'>,
    now: number,
  ): Pick<CachedLogin, 'accessToken' | 'expiresAt'> {
    const iat = Math.floor(now / 1000);
    const exp = iat + MINT_TTL_SECONDS;
    const claims = { sid: c.sessionId, role: c.role, sub: c.userId, aud: ACCESS_AUDIENCE, iat, exp };
    const unsigned = `${this.header}.${base64url(JSON.stringify(claims))}`;
    const mac = createHmac('sha256', this.key).update(unsigned).digest('base64url');
    return { accessToken: `${unsigned}.${mac}`, expiresAt: exp * 1000 };
  }

  /** One user (with a phone derived from its index) and one session per role, in one transaction. */
  async create(roles: Role[], firstIndex: number): Promise<CachedLogin[]> {
    const { db, dialect, keyring } = this.platform;
    const now = Date.now();
    const rows = roles.map((role, k) => ({
      role,
      index: firstIndex + k,
      userId: newId(now),
      sessionId: newId(now),
      // Nobody refreshes these sessions: the stored hash only has to be unique and unguessable.
      refreshHash: hashRefreshToken(randomBytesPooled(32).toString('base64url')),
    }));
    await writeTransaction(db, dialect, async (trx) => {
      const users = new UsersRepo(trx, keyring);
      const sessions = new SessionsRepo(trx);
      for (const r of rows) {
        await users.insert({
          id: r.userId,
          phone: phoneOf(r.index, r.role),
          passwordHash: '!bench',
          nickname: r.role === 'admin' ? '压测管理员' : `压测用户${r.index}`,
          role: r.role,
          now,
        });
        await sessions.insert({
          id: r.sessionId,
          userId: r.userId,
          deviceId: `bench-${r.index}`,
          deviceName: 'bench',
          platform: 'server',
          refreshHash: r.refreshHash,
          prevRefreshHash: null,
          refreshExpiresAt: now + 30 * DAY_MS,
          createdAt: now,
          lastSeenAt: now,
          revokedAt: null,
        });
      }
    });
    return rows.map((r) => ({
      userId: r.userId,
      sessionId: r.sessionId,
      role: r.role,
      ...this.sign(r, now),
    }));
  }
}

/** The audience of the server's access tokens (modules/auth/tokens.ts). */
const ACCESS_AUDIENCE = 'zhixin:access';

/** The server's JWT key, as AccessTokens holds it. */
function jwtKeyObject(platform: Platform): KeyObject {
  return createSecretKey(platform.keyring.jwtKey());
}

function base64url(text: string): string {
  return Buffer.from(text).toString('base64url');
}

/** Mainland mobile numbers in a block no real test data uses: +86 199 xxxx xxxx (admins +86 198). */
function phoneOf(index: number, role: Role): string {
  return `+86${role === 'admin' ? '198' : '199'}${String(index).padStart(8, '0')}`;
}

/** Lines `role userId sessionId expiresAt accessToken`, tab-separated; missing file: nothing cached. */
async function readCache(dataDir: string): Promise<CachedLogin[]> {
  const file = join(dataDir, CREDENTIALS_FILE);
  if (!existsSync(file)) return [];
  const out: CachedLogin[] = [];
  const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  for await (const line of lines) {
    const [role, userId, sessionId, expiresAt, accessToken] = line.split('\t');
    if (!role || !userId || !sessionId || !expiresAt || !accessToken) continue;
    out.push({ role: role as Role, userId, sessionId, expiresAt: Number(expiresAt), accessToken });
  }
  return out;
}

async function writeCache(dataDir: string, logins: CachedLogin[], append: boolean): Promise<void> {
  const out = createWriteStream(join(dataDir, CREDENTIALS_FILE), { flags: append ? 'a' : 'w' });
  for (const c of logins)
    out.write(`${c.role}\t${c.userId}\t${c.sessionId}\t${c.expiresAt}\t${c.accessToken}\n`);
  await new Promise<void>((resolve, reject) =>
    out.end((err?: Error | null) => (err ? reject(err) : resolve())),
  );
}
