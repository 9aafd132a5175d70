import type { Kysely } from 'kysely';
import type { FileInfo, FileSettings, FileStatus } from '@zhixin/protocol';
import { SizedQueryTemplates } from '../../platform/db/compiled-query.ts';
import { paddedKeyParts, type DB } from '../../platform/db/index.ts';
import type { Keyring } from '../../platform/crypto/index.ts';

const NAME_CONTEXT = 'files.name';

/** Retention class of a file, from the kind of conversation it was uploaded for. */
export type RetentionClass = 'direct' | 'group' | 'self' | 'none';

/** A file row as the service sees it (the name opened). */
export interface FileRecord extends FileFacts {
  name: string;
}

/**
 * A file row without its name: what the send path checks (owner, state, measured type). The name
 * is sealed and no caller of these needs it, so it is neither read nor opened.
 */
export interface FileFacts {
  id: string;
  ownerId: string;
  mime: string;
  size: number;
  sha256: string | null;
  status: FileStatus;
  reason: string | null;
  width: number | null;
  height: number | null;
  durationMs: number | null;
  thumbnailMime: string | null;
  conversationId: string | null;
  retentionClass: RetentionClass;
  createdAt: number;
  completedAt: number | null;
}

export interface NewFile {
  id: string;
  ownerId: string;
  name: string;
  mime: string;
  size: number;
  conversationId: string | null;
  retentionClass: RetentionClass;
  createdAt: number;
}

/** What completing an upload settles. */
export interface FileOutcome {
  status: FileStatus;
  reason?: string | null;
  sha256?: string | null;
  mime?: string;
  size?: number;
  width?: number | null;
  height?: number | null;
  durationMs?: number | null;
  thumbnailMime?: string | null;
  completedAt?: number;
}

type Row = DB['files'];
/** The columns of {@link FileFacts}: all but the sealed name (and the removal time). */
const FACT_COLUMNS = [
  'id',
  'owner_id',
  'mime',
  'size',
  'sha256',
  'status',
  'reason',
  'width',
  'height',
  'duration_ms',
  'thumbnail_mime',
  'conversation_id',
  'retention_class',
  'created_at',
  'completed_at',
] as const;

function factsOf(row: Pick<Row, (typeof FACT_COLUMNS)[number]>): FileFacts {
  return {
    id: row.id,
    ownerId: row.owner_id,
    mime: row.mime,
    size: Number(row.size),
    sha256: row.sha256,
    status: row.status as FileStatus,
    reason: row.reason,
    width: row.width,
    height: row.height,
    durationMs: row.duration_ms,
    thumbnailMime: row.thumbnail_mime,
    conversationId: row.conversation_id,
    retentionClass: row.retention_class as RetentionClass,
    createdAt: Number(row.created_at),
    completedAt: row.completed_at === null ? null : Number(row.completed_at),
  };
}

/** The files and file_settings tables: the only place with their SQL. */
export class FilesRepo {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly keyring: Keyring,
  ) {}

  private toRecord(row: Row): FileRecord {
    return { ...factsOf(row), name: this.keyring.open(row.name_enc, NAME_CONTEXT) };
  }

  async insert(f: NewFile): Promise<void> {
    await this.db
      .insertInto('files')
      .values({
        id: f.id,
        owner_id: f.ownerId,
        name_enc: this.keyring.seal(f.name, NAME_CONTEXT),
        mime: f.mime,
        size: f.size,
        sha256: null,
        status: 'uploading',
        reason: null,
        width: null,
        height: null,
        duration_ms: null,
        thumbnail_mime: null,
        conversation_id: f.conversationId,
        retention_class: f.retentionClass,
        created_at: f.createdAt,
        completed_at: null,
        removed_at: null,
      })
      .execute();
  }

  async byId(id: string): Promise<FileRecord | null> {
    const row = await this.db.selectFrom('files').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? this.toRecord(row) : null;
  }

  // Read for every file message sent: compiled once per padded size of the id list.
  private readonly factsQuery = new SizedQueryTemplates((p: { ids: string[] }, list, size) =>
    this.db.selectFrom('files').select(FACT_COLUMNS).where('id', 'in', list('ids', size)).compile(),
  );

  /**
   * The records of `ids` without their names (nothing opened), in the order of `ids`: for checks
   * that never show them. One query per 256 ids.
   */
  async factsByIds(ids: readonly string[]): Promise<Array<FileFacts | null>> {
    const found = new Map<string, FileFacts>();
    for (const part of paddedKeyParts(ids)) {
      const { rows } = await this.db.executeQuery(this.factsQuery.of(part.length).bind({ ids: part }));
      for (const row of rows) found.set(row.id, factsOf(row));
    }
    return ids.map((id) => found.get(id) ?? null);
  }

  /**
   * Move a file from one of `from` to its outcome; false when it was not in one of them (another
   * request settled it first).
   */
  async settle(
    id: string,
    from: readonly FileStatus[],
    o: FileOutcome,
    removedAt?: number,
  ): Promise<boolean> {
    const res = await this.db
      .updateTable('files')
      .set({
        status: o.status,
        ...(o.reason !== undefined ? { reason: o.reason } : {}),
        ...(o.sha256 !== undefined ? { sha256: o.sha256 } : {}),
        ...(o.mime !== undefined ? { mime: o.mime } : {}),
        ...(o.size !== undefined ? { size: o.size } : {}),
        ...(o.width !== undefined ? { width: o.width } : {}),
        ...(o.height !== undefined ? { height: o.height } : {}),
        ...(o.durationMs !== undefined ? { duration_ms: o.durationMs } : {}),
        ...(o.thumbnailMime !== undefined ? { thumbnail_mime: o.thumbnailMime } : {}),
        ...(o.completedAt !== undefined ? { completed_at: o.completedAt } : {}),
        ...(removedAt !== undefined ? { removed_at: removedAt } : {}),
      })
      .where('id', '=', id)
      .where('status', 'in', [...from])
      .executeTakeFirst();
    return Number(res.numUpdatedRows) > 0;
  }

  async remove(id: string): Promise<void> {
    await this.db.deleteFrom('files').where('id', '=', id).execute();
  }

  /** Bytes the user holds: live files plus the declared length of unfinished uploads. */
  async usedBytes(ownerId: string): Promise<number> {
    const row = await this.db
      .selectFrom('files')
      .select((eb) => eb.fn.sum<number | string | null>('size').as('total'))
      .where('owner_id', '=', ownerId)
      .where('status', 'in', ['uploading', 'scanning', 'ready'])
      .executeTakeFirst();
    return Number(row?.total ?? 0);
  }

  /** Unfinished uploads created before `before`, oldest first. */
  async abandoned(before: number, limit: number): Promise<FileRecord[]> {
    const rows = await this.db
      .selectFrom('files')
      .selectAll()
      .where('status', '=', 'uploading')
      .where('created_at', '<', before)
      .orderBy('created_at')
      .limit(limit)
      .execute();
    return rows.map((r) => this.toRecord(r));
  }

  /** Ready files of one retention class completed before `before`, oldest first. */
  async readyBefore(
    cls: RetentionClass,
    before: number,
    limit: number,
  ): Promise<Array<{ id: string; completedAt: number }>> {
    const rows = await this.db
      .selectFrom('files')
      .select(['id', 'completed_at'])
      .where('status', '=', 'ready')
      .where('retention_class', '=', cls)
      .where('completed_at', '<', before)
      .orderBy('completed_at')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ id: r.id, completedAt: Number(r.completed_at) }));
  }

  async loadSettings(): Promise<Partial<FileSettings> | null> {
    const row = await this.db
      .selectFrom('file_settings')
      .select('settings')
      .where('id', '=', 1)
      .executeTakeFirst();
    return row ? (JSON.parse(row.settings) as Partial<FileSettings>) : null;
  }

  async saveSettings(settings: FileSettings, now: number): Promise<void> {
    const json = JSON.stringify(settings);
    await this.db
      .insertInto('file_settings')
      .values({ id: 1, settings: json, updated_at: now })
      .onConflict((oc) => oc.column('id').doUpdateSet({ settings: json, updated_at: now }))
      .execute();
  }
}

/** The wire form of a file record; `offset` is what the upload store holds so far. */
export function toFileInfo(r: FileRecord, offset: number, expiresAt: number | null): FileInfo {
  return {
    id: r.id,
    ownerId: r.ownerId,
    name: r.name,
    mime: r.mime,
    size: r.size,
    offset,
    sha256: r.sha256,
    status: r.status,
    reason: r.reason,
    width: r.width,
    height: r.height,
    durationMs: r.durationMs,
    hasThumbnail: r.thumbnailMime !== null,
    createdAt: r.createdAt,
    expiresAt,
  };
}
