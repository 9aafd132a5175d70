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
 *   // after the server is up: const media = await seedMediaSets(target, baseUrl, credentials);
 *
 * Calls run `PARALLEL` at a time: PostgreSQL overlaps them; SQLite serialises the writes but still
 * overlaps the JavaScript around them.
 */
import { link } from 'node:fs/promises';
import { join } from 'node:path';
import { buildApp, type App } from '../../packages/server/src/app.ts';
import { loadConfig } from '../../packages/server/src/config.ts';
import { FilesRepo } from '../../packages/server/src/modules/files/files.repo.ts';
import { diskBlobDirectory } from '../../packages/server/src/platform/blob/index.ts';
import { MemoryBroker } from '../../packages/server/src/platform/broker/index.ts';
import { writeTransaction } from '../../packages/server/src/platform/db/index.ts';
import { newId } from '../../packages/server/src/platform/ids.ts';
import { createLogger } from '../../packages/server/src/platform/logger.ts';
import { createPlatform } from '../../packages/server/src/platform/platform.ts';
import { seedMediaFiles, type MediaSet } from '../lib/media-files.ts';
import type { Target } from '../lib/server.ts';
import type { Credential } from './types.ts';

type Ctx = Parameters<App['ops']['invoke']>[2];

/** Enough in flight to overlap PostgreSQL round trips, few enough to keep its pool from queueing. */
const PARALLEL = 16;
/** Users' media copies per write transaction. */
const CLONE_CHUNK = 500;
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
 * Each user's own ready image, file, voice recording and video (a media message must name a ready
 * file of the sender's). The first user uploads one set through the running server's real upload
 * endpoint (so the server measured its type, pixels and duration); every other user gets its own
 * file rows with the same facts through the files repository, their bytes hard links to the
 * template's blobs (same content, no extra disk). Uploading 80,000 files one by one (ffprobe,
 * sharp) would take hours on two cores. No upload audit events are written for the copies.
 */
export async function seedMediaSets(
  target: Target,
  baseUrl: string,
  credentials: readonly Credential[],
): Promise<MediaSet[]> {
  const started = performance.now();
  const first = credentials[0];
  if (!first) return [];
  const [template] = await seedMediaFiles(baseUrl, [first.accessToken]);
  if (!template) throw new Error('the template media set was not uploaded');
  const platform = await createPlatform(
    loadConfig({
      env: {},
      file: '',
      overrides: { dataDir: target.dataDir, databaseUrl: target.databaseUrl, logLevel: 'warn' },
    }),
    { broker: new MemoryBroker(), log: createLogger('warn') },
  );
  try {
    const blobDir = diskBlobDirectory(platform.config);
    const kinds = ['image', 'file', 'voice', 'video'] as const;
    const originals = await Promise.all(
      kinds.map(async (k) => {
        const rec = await new FilesRepo(platform.db, platform.keyring).byId(fileIdOf(template[k]));
        if (!rec) throw new Error(`template ${k} file is missing`);
        return rec;
      }),
    );
    const sets: MediaSet[] = [template];
    for (let next = 1; next < credentials.length; next += CLONE_CHUNK) {
      const owners = credentials.slice(next, next + CLONE_CHUNK);
      const made = owners.map((o) => ({ owner: o.userId, ids: kinds.map(() => newId()) }));
      await writeTransaction(platform.db, platform.dialect, async (trx) => {
        const repo = new FilesRepo(trx, platform.keyring);
        const now = Date.now();
        for (const m of made)
          for (const [k, rec] of originals.entries()) {
            const id = m.ids[k] as string;
            await repo.insert({ ...rec, id, ownerId: m.owner, createdAt: now });
            await repo.settle(id, ['uploading'], { ...rec, status: 'ready', completedAt: now });
          }
      });
      for (const m of made)
        for (const [k, rec] of originals.entries()) {
          await link(join(blobDir, rec.id), join(blobDir, m.ids[k] as string));
          if (rec.thumbnailMime)
            await link(join(blobDir, `${rec.id}.thumb`), join(blobDir, `${m.ids[k] as string}.thumb`));
        }
      for (const m of made) {
        const [image, file, voice, video] = m.ids as [string, string, string, string];
        sets.push({
          image: { ...template.image, fileId: image },
          file: { ...template.file, fileId: file },
          voice: { ...template.voice, fileId: voice },
          video: { ...template.video, fileId: video },
        } as MediaSet);
      }
    }
    console.error(
      `media: ${credentials.length} users' sets (1 uploaded, ${credentials.length - 1} copied) in ` +
        `${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
    return sets;
  } finally {
    await platform.close();
  }
}

function fileIdOf(content: MediaSet[keyof MediaSet]): string {
  if (content.kind === 'text' || !('fileId' in content)) throw new Error('not a media message');
  return content.fileId;
}
