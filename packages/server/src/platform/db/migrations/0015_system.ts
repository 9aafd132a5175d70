import type { Kysely } from 'kysely';

/** Runtime system settings (override the config on every node) and dismissed friend suggestions. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('runtime_settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    // JSON text; secrets inside it are sealed with the keyring before they get here.
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .execute();
  await db.schema
    .createTable('recommendation_dismissals')
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('dismissed_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('recommendation_dismissals_pk', ['user_id', 'dismissed_id'])
    .execute();
}
