import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('licenses')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('installed_at', 'bigint', (c) => c.notNull())
    .addColumn('installed_by', 'text')
    .execute();
  await db.schema.createIndex('licenses_installed_at').on('licenses').column('installed_at').execute();
  await db.schema
    .createTable('directory_departures')
    .addColumn('user_id', 'text', (c) => c.primaryKey())
    .addColumn('left_at', 'bigint', (c) => c.notNull())
    .addColumn('marked_by', 'text')
    .execute();
  // Screening and the console sort users by these.
  await db.schema.createIndex('users_created_at').on('users').column('created_at').execute();
  await db.schema.createIndex('users_last_active_at').on('users').column('last_active_at').execute();
}
