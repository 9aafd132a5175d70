import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('departments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('parent_id', 'text', (c) => c.references('departments.id'))
    // '' for top-level departments, so names can be unique among siblings on both databases
    // (a NULL in a unique index never collides).
    .addColumn('parent_key', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('sort_order', 'integer', (c) => c.notNull())
    // Ids from the top down, '/'-separated and '/'-terminated: a subtree is `path LIKE '<path>%'`.
    .addColumn('path', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('departments_sibling_name')
    .on('departments')
    .columns(['parent_key', 'name'])
    .unique()
    .execute();
  await db.schema.createIndex('departments_path').on('departments').column('path').execute();
  await db.schema
    .createTable('department_members')
    .addColumn('department_id', 'text', (c) => c.notNull().references('departments.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    // 0 or 1 (the same on both databases); at most one primary department per user.
    .addColumn('is_primary', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('department_members_pk', ['department_id', 'user_id'])
    .execute();
  await db.schema.createIndex('department_members_user').on('department_members').column('user_id').execute();
  await db.schema
    .createTable('directory_sources')
    .addColumn('kind', 'text', (c) => c.primaryKey())
    // JSON of the source without secrets.
    .addColumn('config', 'text', (c) => c.notNull())
    // The bind password, sealed with the keyring; null when the admin did not save one.
    .addColumn('secret_enc', 'text')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
}
