import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('group_settings')
    .addColumn('conversation_id', 'text', (c) => c.primaryKey().references('conversations.id'))
    .addColumn('avatar_image_id', 'text')
    // The announcement is what an admin wrote: sealed like message content.
    .addColumn('announcement_enc', 'text')
    .addColumn('announcement_at', 'bigint')
    .addColumn('announcement_by', 'text')
    .addColumn('join_approval', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('mute_all', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('temporary', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('dissolved_at', 'bigint')
    .addColumn('code_version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  // The cleanup job looks only at live temporary groups.
  await db.schema
    .createIndex('group_settings_temporary')
    .on('group_settings')
    .columns(['temporary', 'dissolved_at'])
    .execute();
  await db.schema
    .createTable('group_member_state')
    .addColumn('conversation_id', 'text', (c) => c.notNull().references('conversations.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('nickname_enc', 'text')
    .addColumn('muted_until', 'bigint')
    .addPrimaryKeyConstraint('group_member_state_pk', ['conversation_id', 'user_id'])
    .execute();
  await db.schema
    .createTable('group_join_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('conversation_id', 'text', (c) => c.notNull().references('conversations.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('inviter_id', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('group_join_requests_once', ['conversation_id', 'user_id'])
    .execute();
  await db.schema
    .createTable('job_leases')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('holder', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
}
