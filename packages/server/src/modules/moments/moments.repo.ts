import type { MomentMedia, MomentVisibility } from '@zhixin/protocol';
import { sql, type ExpressionBuilder, type Kysely, type Selectable } from 'kysely';
import type { Keyring } from '../../platform/crypto/index.ts';
import type { DB, Dialect } from '../../platform/db/index.ts';
import type { Position } from './moments.cursor.ts';

export type PostState = 'live' | 'deleted' | 'removed';

/** One post, decrypted. */
export interface PostRecord {
  id: string;
  authorId: string;
  text: string;
  media: MomentMedia[];
  location: string | null;
  mentions: string[];
  visibility: MomentVisibility;
  state: PostState;
  createdAt: number;
}

export interface NewPost {
  id: string;
  authorId: string;
  text: string;
  media: MomentMedia[];
  location: string | null;
  mentions: string[];
  visibility: MomentVisibility;
  createdAt: number;
}

/** IN lists are cut to this many ids (bounded statements on both databases). */
const IN_CHUNK = 2000;

const textCtx = (id: string) => `moments_posts.text:${id}`;
const locationCtx = (id: string) => `moments_posts.location:${id}`;

type PostsEb = ExpressionBuilder<DB, 'moments_posts'>;

/** Strictly older than the cursor, in (created_at, id) order. */
function olderThan(eb: PostsEb, before: Position | null) {
  if (!before) return eb.lit(true);
  // The leading `<=` bounds the index range; the OR only breaks ties within one millisecond.
  return eb.and([
    eb('created_at', '<=', before.createdAt),
    eb.or([eb('created_at', '<', before.createdAt), eb('id', '<', before.id)]),
  ]);
}

/** moments_posts, moments_post_files and moments_covers: the only place with their SQL. */
export class MomentsRepo {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly keyring: Keyring,
    private readonly dialect: Dialect,
  ) {}

  private toRecord(row: Selectable<DB['moments_posts']>): PostRecord {
    return {
      id: row.id,
      authorId: row.author_id,
      text: this.keyring.open(row.text_enc, textCtx(row.id)),
      media: JSON.parse(row.media) as MomentMedia[],
      location: row.location_enc === null ? null : this.keyring.open(row.location_enc, locationCtx(row.id)),
      mentions: JSON.parse(row.mentions) as string[],
      visibility: row.visibility,
      state: row.state,
      createdAt: Number(row.created_at),
    };
  }

  async insert(p: NewPost): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      await tx
        .insertInto('moments_posts')
        .values({
          id: p.id,
          author_id: p.authorId,
          text_enc: this.keyring.seal(p.text, textCtx(p.id)),
          media: JSON.stringify(p.media),
          location_enc: p.location === null ? null : this.keyring.seal(p.location, locationCtx(p.id)),
          mentions: JSON.stringify(p.mentions),
          visibility: p.visibility,
          state: 'live',
          created_at: p.createdAt,
          updated_at: p.createdAt,
        })
        .execute();
      if (p.media.length) {
        await tx
          .insertInto('moments_post_files')
          .values(p.media.map((m) => ({ file_id: m.fileId, post_id: p.id })))
          .execute();
      }
    });
  }

  /** Many posts at once, in batches (seeding: benchmarks and imports). */
  async insertMany(posts: readonly NewPost[]): Promise<void> {
    for (let i = 0; i < posts.length; i += 500) {
      const batch = posts.slice(i, i + 500);
      await this.db
        .insertInto('moments_posts')
        .values(
          batch.map((p) => ({
            id: p.id,
            author_id: p.authorId,
            text_enc: this.keyring.seal(p.text, textCtx(p.id)),
            media: JSON.stringify(p.media),
            location_enc: p.location === null ? null : this.keyring.seal(p.location, locationCtx(p.id)),
            mentions: JSON.stringify(p.mentions),
            visibility: p.visibility,
            state: 'live' as const,
            created_at: p.createdAt,
            updated_at: p.createdAt,
          })),
        )
        .execute();
    }
  }

  async byId(id: string): Promise<PostRecord | null> {
    const row = await this.db.selectFrom('moments_posts').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? this.toRecord(row) : null;
  }

  async byIds(ids: readonly string[]): Promise<PostRecord[]> {
    const out: PostRecord[] = [];
    for (let i = 0; i < ids.length; i += IN_CHUNK) {
      const rows = await this.db
        .selectFrom('moments_posts')
        .selectAll()
        .where('id', 'in', ids.slice(i, i + IN_CHUNK))
        .execute();
      out.push(...rows.map((r) => this.toRecord(r)));
    }
    return out;
  }

  async setVisibility(id: string, visibility: MomentVisibility, now: number): Promise<void> {
    await this.db
      .updateTable('moments_posts')
      .set({ visibility, updated_at: now })
      .where('id', '=', id)
      .execute();
  }

  async setState(id: string, state: PostState, now: number): Promise<void> {
    await this.db.updateTable('moments_posts').set({ state, updated_at: now }).where('id', '=', id).execute();
  }

  /**
   * Live posts of these authors with one of these visibilities, newest first, older than `before`
   * and (when given) created at or after `since`. One range of the (author_id, created_at, id)
   * index per author.
   */
  async byAuthors(
    authorIds: readonly string[],
    visibilities: readonly MomentVisibility[],
    before: Position | null,
    limit: number,
    since: number | null = null,
  ): Promise<PostRecord[]> {
    const out: PostRecord[] = [];
    for (let i = 0; i < authorIds.length; i += IN_CHUNK) {
      const chunk = authorIds.slice(i, i + IN_CHUNK);
      let q = this.db
        .selectFrom('moments_posts')
        .selectAll()
        // PostgreSQL plans a thousand-value IN list in ~8 ms; one array parameter costs nothing.
        .where((eb) =>
          this.dialect === 'postgres'
            ? sql<boolean>`author_id = any(${chunk})`
            : eb('author_id', 'in', chunk),
        )
        .where('visibility', 'in', [...visibilities])
        .where('state', '=', 'live')
        .where((eb) => olderThan(eb, before));
      if (since !== null) q = q.where('created_at', '>=', since);
      const rows = await q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
      out.push(...rows.map((r) => this.toRecord(r)));
    }
    return out;
  }

  /** Live public posts of anyone but `excluded`, newest first (the (visibility, state, created_at, id) index). */
  async publicPosts(
    excluded: readonly string[],
    before: Position | null,
    limit: number,
  ): Promise<PostRecord[]> {
    let q = this.db
      .selectFrom('moments_posts')
      .selectAll()
      .where('visibility', '=', 'everyone')
      .where('state', '=', 'live')
      .where((eb) => olderThan(eb, before));
    if (excluded.length) q = q.where('author_id', 'not in', [...excluded]);
    const rows = await q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
    return rows.map((r) => this.toRecord(r));
  }

  /** Ids of live posts carrying this file. */
  async postsWithFile(fileId: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('moments_post_files')
      .select('post_id')
      .where('file_id', '=', fileId)
      .limit(50)
      .execute();
    return rows.map((r) => r.post_id);
  }

  async cover(userId: string): Promise<string | null> {
    const row = await this.db
      .selectFrom('moments_covers')
      .select('file_id')
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return row?.file_id ?? null;
  }

  async setCover(userId: string, fileId: string | null, now: number): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      await tx.deleteFrom('moments_covers').where('user_id', '=', userId).execute();
      if (fileId === null) return;
      await tx
        .insertInto('moments_covers')
        .values({ user_id: userId, file_id: fileId, updated_at: now })
        .execute();
    });
  }

  /** Users whose cover this file is. */
  async coverOwners(fileId: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('moments_covers')
      .select('user_id')
      .where('file_id', '=', fileId)
      .execute();
    return rows.map((r) => r.user_id);
  }
}
