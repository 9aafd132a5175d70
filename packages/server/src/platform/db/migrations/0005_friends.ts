import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // The 致信号 is public (it is how others find me), so it is stored in the clear; `account_key`
  // is its lower-case form, unique so two people cannot hold the same handle in different cases.
  await db.schema.alterTable('users').addColumn('account', 'text').execute();
  await db.schema.alterTable('users').addColumn('account_key', 'text').execute();
  await db.schema.createIndex('users_account_key').on('users').column('account_key').unique().execute();

  // One row per (requester, target): sending again merges into it, so duplicates cannot exist.
  await db.schema
    .createTable('friend_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('from_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('to_id', 'text', (c) => c.notNull().references('users.id'))
    // What people write to each other is sealed like other user content.
    .addColumn('message_enc', 'text', (c) => c.notNull())
    .addColumn('remark_enc', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('friend_requests_pair', ['from_id', 'to_id'])
    .execute();
  await db.schema
    .createIndex('friend_requests_to')
    .on('friend_requests')
    .columns(['to_id', 'updated_at'])
    .execute();

  await db.schema
    .createTable('user_blocks')
    .addColumn('owner_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('blocked_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('user_blocks_pk', ['owner_id', 'blocked_id'])
    .execute();

  // Absent row: the defaults (verify; findable by phone and by 致信号).
  await db.schema
    .createTable('friend_privacy')
    .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id'))
    .addColumn('add_policy', 'text', (c) => c.notNull())
    .addColumn('findable_by_phone', 'integer', (c) => c.notNull())
    .addColumn('findable_by_account', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
}
