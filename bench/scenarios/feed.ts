import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import type { MomentFeedScope, MomentVisibility } from '@zhixin/protocol';
import { buildApp, type App } from '../../packages/server/src/app.ts';
import { loadConfig } from '../../packages/server/src/config.ts';
import type { CallContext } from '../../packages/server/src/http/principal.ts';
import { MomentsRepo, type NewPost } from '../../packages/server/src/modules/moments/index.ts';
import { newId } from '../../packages/server/src/platform/ids.ts';
import { percentile, type BenchArgs } from '../lib/args.ts';
import { prepareTarget } from '../lib/server.ts';

const DAY_MS = 86_400_000;
const PAGE = 20;

interface Latency {
  samples: number;
  p50Ms: number;
  p99Ms: number;
}

export interface FeedTargetResult {
  target: 'sqlite' | 'pg';
  friends: number;
  days: number;
  posts: number;
  seedSeconds: number;
  /** The friends feed: first page, then each following page by cursor. */
  friendsFirstPage: Latency;
  friendsNextPages: Latency;
  /** The everyone feed (public posts of anyone + friends' + mine), first page and next pages. */
  everyoneFirstPage: Latency;
  everyoneNextPages: Latency;
  /** moments.search: a word in today's posts (a page of hits), and one in none (the most a call looks through). */
  searchHit: Latency;
  searchMiss: Latency;
}

export interface FeedBenchResult {
  scenario: 'feed';
  page: number;
  results: FeedTargetResult[];
}

const round = (n: number) => Math.round(n * 100) / 100;
const latency = (values: number[]): Latency => ({
  samples: values.length,
  p50Ms: round(percentile(values, 50)),
  p99Ms: round(percentile(values, 99)),
});

/** A viewer with `friends` friends, each posting once a day for `days` days (mostly to friends). */
async function seed(app: App, friends: number, days: number): Promise<{ viewer: string; posts: number }> {
  const make = (n: number) =>
    app.services.users.createAccount({
      phone: `+8613${String(200_000_000 + n)}`,
      passwordHash: '',
      nickname: `战友${n}`,
      role: 'user',
    });
  const viewer = (await make(0)).id;
  const friendIds: string[] = [];
  for (let i = 1; i <= friends; i += 100) {
    const batch = [];
    for (let j = i; j < Math.min(friends + 1, i + 100); j++) batch.push(make(j));
    friendIds.push(...(await Promise.all(batch)).map((a) => a.id));
  }
  for (let i = 0; i < friendIds.length; i += 50) {
    await Promise.all(
      friendIds.slice(i, i + 50).map((id) => app.services.contacts.link({ userId: viewer }, { userId: id })),
    );
  }
  const repo = new MomentsRepo(app.platform.db, app.platform.keyring, app.platform.dialect);
  const now = Date.now();
  let posts = 0;
  for (let day = 0; day < days; day++) {
    const batch: NewPost[] = friendIds.map((authorId, k) => {
      const createdAt = now - day * DAY_MS - Math.floor(Math.random() * DAY_MS);
      // Most posts go to friends, a quarter to everyone, a few stay private.
      const roll = (k * 7 + day) % 20;
      const visibility: MomentVisibility = roll < 14 ? 'friends' : roll < 19 ? 'everyone' : 'self';
      return {
        id: newId(createdAt),
        authorId,
        text: `第${day}天的训练总结，来自战友${k}`,
        media: [],
        location: null,
        mentions: [],
        visibility,
        createdAt,
      };
    });
    await repo.insertMany(batch);
    posts += batch.length;
  }
  // Autovacuum analyzes a table this size within a minute; do it now so the planner sees the
  // steady state rather than the empty tables it had statistics for.
  if (app.platform.dialect === 'postgres') await sql`analyze`.execute(app.platform.db);
  return { viewer, posts };
}

/** First page and `pages - 1` following pages of a feed, `samples` times. */
async function measure(
  app: App,
  ctx: CallContext,
  scope: MomentFeedScope,
  samples: number,
  pages: number,
): Promise<{ first: Latency; next: Latency }> {
  const first: number[] = [];
  const next: number[] = [];
  for (let s = 0; s < samples; s++) {
    let t = performance.now();
    let page = await app.ops.invoke('moments.feed', { scope, limit: PAGE }, ctx);
    first.push(performance.now() - t);
    for (let p = 1; p < pages && page.nextCursor; p++) {
      t = performance.now();
      page = await app.ops.invoke('moments.feed', { scope, limit: PAGE, before: page.nextCursor }, ctx);
      next.push(performance.now() - t);
    }
  }
  return { first: latency(first), next: latency(next) };
}

/** One search call, `samples` times. */
async function measureSearch(app: App, ctx: CallContext, q: string, samples: number): Promise<Latency> {
  const times: number[] = [];
  for (let s = 0; s < samples; s++) {
    const t = performance.now();
    await app.ops.invoke('moments.search', { q, limit: PAGE }, ctx);
    times.push(performance.now() - t);
  }
  return latency(times);
}

async function runTarget(
  target: 'sqlite' | 'pg',
  friends: number,
  days: number,
  samples: number,
  pages: number,
): Promise<FeedTargetResult> {
  const t = await prepareTarget(target);
  const config = loadConfig({
    env: {},
    file: '',
    overrides: {
      dataDir: t.dataDir,
      databaseUrl: t.databaseUrl,
      logLevel: 'warn',
      security: { kdfLogN: 10 },
      license: { maxUsers: friends + 10 },
    },
  });
  const app = await buildApp(config);
  try {
    console.error(`[feed:${target}] seeding ${friends} friends × ${days} days of posts`);
    const started = performance.now();
    const seeded = await seed(app, friends, days);
    const seedSeconds = round((performance.now() - started) / 1000);
    const ctx: CallContext = {
      principal: { userId: seeded.viewer, sessionId: 'bench', role: 'user' },
      ip: '127.0.0.1',
    };
    // One warm-up pass so statement caches and the page cache are in their steady state.
    await measure(app, ctx, 'friends', 1, 2);
    const friendsFeed = await measure(app, ctx, 'friends', samples, pages);
    const everyoneFeed = await measure(app, ctx, 'everyone', samples, pages);
    const searchHit = await measureSearch(app, ctx, '第0天', samples);
    const searchMiss = await measureSearch(app, ctx, '演习', samples);
    return {
      target,
      friends,
      days,
      posts: seeded.posts,
      seedSeconds,
      friendsFirstPage: friendsFeed.first,
      friendsNextPages: friendsFeed.next,
      everyoneFirstPage: everyoneFeed.first,
      everyoneNextPages: everyoneFeed.next,
      searchHit,
      searchMiss,
    };
  } finally {
    await app.close();
  }
}

/**
 * `npm run bench -- feed [--friends 1000] [--days 30] [--samples 50] [--pages 5] [--target sqlite|pg|both]`:
 * the feed latency, in process through the operation registry (validation, visibility, likes and
 * comments, profiles), for a user whose friends each post daily.
 */
export async function runFeedBench(args: BenchArgs): Promise<FeedBenchResult> {
  const friends = Number(args.flags.friends ?? 1000);
  const days = Number(args.flags.days ?? 30);
  const samples = Number(args.flags.samples ?? 50);
  const pages = Number(args.flags.pages ?? 5);
  const which = String(args.flags.target ?? 'both');
  const targets: Array<'sqlite' | 'pg'> =
    which === 'both' ? ['sqlite', 'pg'] : [which === 'pg' ? 'pg' : 'sqlite'];
  const results: FeedTargetResult[] = [];
  for (const target of targets) results.push(await runTarget(target, friends, days, samples, pages));
  console.error(
    `\nfeed of a user with ${friends} friends posting daily for ${days} days (pages of ${PAGE}):`,
  );
  for (const r of results) {
    console.error(`  ${r.target}: ${r.posts} posts seeded in ${r.seedSeconds} s`);
    for (const [name, l] of [
      ['friends, first page', r.friendsFirstPage],
      ['friends, next pages', r.friendsNextPages],
      ['everyone, first page', r.everyoneFirstPage],
      ['everyone, next pages', r.everyoneNextPages],
      ['search, a page of hits', r.searchHit],
      ['search, no hit', r.searchMiss],
    ] as const)
      console.error(`    ${name.padEnd(22)} p50 ${l.p50Ms} ms  p99 ${l.p99Ms} ms  (${l.samples} samples)`);
  }
  return { scenario: 'feed', page: PAGE, results };
}
