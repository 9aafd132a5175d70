import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('user_codes')
    .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('validity_days', 'integer')
    .addColumn('issued_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('quick_login_attempts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('poll_hash', 'text', (c) => c.notNull())
    .addColumn('device_id', 'text', (c) => c.notNull())
    .addColumn('device_name', 'text', (c) => c.notNull())
    .addColumn('device_platform', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('scanner_id', 'text', (c) => c.references('users.id'))
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('quick_login_attempts_expires')
    .on('quick_login_attempts')
    .column('expires_at')
    .execute();
  await db.schema
    .createTable('transfer_codes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('creator_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('target_user_id', 'text', (c) => c.references('users.id'))
    .addColumn('conversation_id', 'text', (c) => c.references('conversations.id'))
    // The prepared message is the creator's words: sealed like other user content.
    .addColumn('message_enc', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
}
