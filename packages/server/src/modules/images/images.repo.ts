import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/index.ts';

export interface ImageRecord {
  id: string;
  ownerId: string;
  mime: string;
  bytes: Buffer;
  sha256: string;
  size: number;
  createdAt: number;
}

/** The images table: the only place with its SQL. */
export class ImagesRepo {
  constructor(private readonly db: Kysely<DB>) {}

  async insert(image: ImageRecord): Promise<void> {
    await this.db
      .insertInto('images')
      .values({
        id: image.id,
        owner_id: image.ownerId,
        mime: image.mime,
        bytes: image.bytes,
        sha256: image.sha256,
        size: image.size,
        created_at: image.createdAt,
      })
      .execute();
  }

  async byId(id: string): Promise<ImageRecord | null> {
    const row = await this.db.selectFrom('images').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) return null;
    return {
      id: row.id,
      ownerId: row.owner_id,
      mime: row.mime,
      bytes: Buffer.from(row.bytes),
      sha256: row.sha256,
      size: row.size,
      createdAt: row.created_at,
    };
  }

  /** Which of `ids` exist, with their owners (no bytes). */
  async owners(ids: readonly string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db
      .selectFrom('images')
      .select(['id', 'owner_id'])
      .where('id', 'in', [...ids])
      .execute();
    return new Map(rows.map((r) => [r.id, r.owner_id]));
  }
}
