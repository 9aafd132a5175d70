import type { Kysely } from 'kysely';

/** Which messages carry which files (R-L2 forwarding without copies, R-M3 retention, R-T2 access). */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('file_refs')
    .addColumn('conversation_id', 'text', (c) => c.notNull())
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('file_id', 'text', (c) => c.notNull())
    .addColumn('sender_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    // 0 or 1: a recalled message no longer lets the conversation's members read the file.
    .addColumn('recalled', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('file_refs_pk', ['conversation_id', 'seq', 'file_id'])
    .execute();
  await db.schema
    .createIndex('file_refs_file')
    .on('file_refs')
    .columns(['file_id', 'conversation_id'])
    .execute();
  // An upload's hash before and after the media module cleaned it (EXIF removed): traces follow both.
  await db.schema
    .createTable('media_hash_links')
    .addColumn('original_sha256', 'text', (c) => c.notNull())
    .addColumn('cleaned_sha256', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('media_hash_links_pk', ['original_sha256', 'cleaned_sha256'])
    .execute();
  await db.schema
    .createIndex('media_hash_links_cleaned')
    .on('media_hash_links')
    .column('cleaned_sha256')
    .execute();
  // Set (0 → 1) by the retention job, or when the file's owner deletes it: clients show "file expired".
  await db.schema
    .alterTable('messages')
    .addColumn('file_expired', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}
