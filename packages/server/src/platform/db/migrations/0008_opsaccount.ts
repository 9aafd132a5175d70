import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('ops_account')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('ops_broadcasts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('sender_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('target_kind', 'text', (c) => c.notNull())
    .addColumn('target_id', 'text')
    .addColumn('text_enc', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('total', 'integer', (c) => c.notNull())
    .addColumn('delivered', 'integer', (c) => c.notNull())
    .addColumn('cursor', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('finished_at', 'bigint')
    .execute();
  // Startup looks for running broadcasts to resume.
  await db.schema
    .createIndex('ops_broadcasts_status')
    .on('ops_broadcasts')
    .columns(['status', 'id'])
    .execute();
  await db.schema
    .createTable('ops_feedback')
    .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id'))
    .addColumn('conversation_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('last_seq', 'integer', (c) => c.notNull())
    .addColumn('last_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  // The inbox lists by status, latest first.
  await db.schema
    .createIndex('ops_feedback_inbox')
    .on('ops_feedback')
    .columns(['status', 'last_at', 'user_id'])
    .execute();
  await db.schema
    .createIndex('ops_feedback_latest')
    .on('ops_feedback')
    .columns(['last_at', 'user_id'])
    .execute();
}
