/**
 * Bulk conversations for the load scenarios (issue 9), written in-process through the app's own
 * operations before the server starts (as bench/lib/broadcast-seed.ts does), so every row is what
 * the product itself would store:
 *
 *   const app = await openSeedApp(target);
 *   try {
 *     const direct = await seedDirectPairs(app, pairs);      // [a, b] -> conversation id
 *     const groups = await seedGroups(app, [{ owner, members, title }]);
 *   } finally {
 *     await app.close();
 *   }
 *   // after the server is up: const media = await seedMediaInParallel(baseUrl, tokens);
 *
 * Calls run `PARALLEL` at a time: PostgreSQL overlaps them; SQLite serialises the writes but still
 * overlaps the JavaScript around them.
 */
import { buildApp, type App } from '../../packages/server/src/app.ts';
import { loadConfig } from '../../packages/server/src/config.ts';
import { seedMediaFiles, type MediaSet } from '../lib/media-files.ts';
import type { Target } from '../lib/server.ts';

type Ctx = Parameters<App['ops']['invoke']>[2];

/** Enough in flight to overlap PostgreSQL round trips, few enough to keep its pool from queueing. */
const PARALLEL = 16;
/** A group's creator plus this many in one `groups.create` (the protocol's cap is 999). */
const MAX_INVITES_PER_CALL = 999;

/** A user the seed acts as; the access token is not needed in-process. */
export interface SeedUser {
  userId: string;
}

export interface SeededGroup {
  conversationId: string;
  ownerId: string;
  memberIds: string[];
}

/** The app on the target's store, with the generous limits the benchmark server also gets. */
export async function openSeedApp(target: Target): Promise<App> {
  const config = loadConfig({
    env: {},
    file: '',
    overrides: {
      dataDir: target.dataDir,
      databaseUrl: target.databaseUrl,
      logLevel: 'warn',
      auth: { accessTtlSeconds: 7200, smsResendSeconds: 0, smsMaxPerPhonePerDay: 1000 },
      http: { rateLimitPerMinute: 10_000_000, callerLimitMultiplier: 100_000 },
    },
  });
  return buildApp(config);
}

/** A principal for seeding as `userId` (the operations only read the user and role). */
function as(userId: string): Ctx {
  return { principal: { userId, sessionId: 'bench-seed', role: 'user' }, ip: '127.0.0.1' };
}

/** Run `task` over `items`, `limit` at a time, keeping the results in order. */
async function inBatches<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T, index: number) => Promise<R>,
  progress?: (done: number) => void,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  let done = 0;
  async function lane(): Promise<void> {
    while (next < items.length) {
      const i = next++;
      out[i] = await task(items[i] as T, i);
      done++;
      if (progress && done % 2000 === 0) progress(done);
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return out;
}

/** One direct conversation per pair, opened by the first user; returns their ids in pair order. */
export async function seedDirectPairs(
  app: App,
  pairs: ReadonlyArray<readonly [SeedUser, SeedUser]>,
): Promise<string[]> {
  const started = performance.now();
  const ids = await inBatches(
    pairs,
    PARALLEL,
    async ([a, b]) =>
      (await app.ops.invoke('conversations.openDirect', { userId: b.userId }, as(a.userId))).id,
    (done) => console.error(`opened ${done}/${pairs.length} direct conversations`),
  );
  console.error(
    `opened ${pairs.length} direct conversations in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  return ids;
}

/**
 * Groups of up to 1,000 members (owner included), created by their owner with everyone invited in
 * one call, the way an administrator's import would; groups are created one after another.
 */
export async function seedGroups(
  app: App,
  groups: ReadonlyArray<{ owner: SeedUser; members: readonly SeedUser[]; title: string }>,
): Promise<SeededGroup[]> {
  const started = performance.now();
  const out: SeededGroup[] = [];
  for (const g of groups) {
    const memberIds = g.members.map((m) => m.userId).filter((id) => id !== g.owner.userId);
    if (memberIds.length > MAX_INVITES_PER_CALL)
      throw new Error(
        `a group holds at most ${MAX_INVITES_PER_CALL + 1} members (got ${memberIds.length + 1})`,
      );
    const conv = await app.ops.invoke('groups.create', { title: g.title, memberIds }, as(g.owner.userId));
    out.push({ conversationId: conv.id, ownerId: g.owner.userId, memberIds: [g.owner.userId, ...memberIds] });
  }
  console.error(`created ${groups.length} groups in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return out;
}

/**
 * Each user's own ready image, file, voice and video (a media message must name a ready file of
 * the sender's) through the running server's real upload endpoint, `lanes` users' uploads at a time.
 * seedMediaFiles makes its sample media once per call, so the users are split into `lanes` calls.
 */
export async function seedMediaInParallel(
  baseUrl: string,
  tokens: readonly string[],
  lanes = 4,
): Promise<MediaSet[]> {
  const started = performance.now();
  const per = Math.ceil(tokens.length / lanes);
  const chunks = Array.from({ length: lanes }, (_, k) => tokens.slice(k * per, (k + 1) * per)).filter(
    (c) => c.length > 0,
  );
  const sets = (await Promise.all(chunks.map((c) => seedMediaFiles(baseUrl, c)))).flat();
  console.error(
    `uploaded media for ${tokens.length} users in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  return sets;
}
