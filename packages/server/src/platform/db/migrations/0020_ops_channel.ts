import type { Kysely } from 'kysely';

/**
 * The operations account's channel: posts to everyone are stored once in one `channel`
 * conversation (see modules/conversations/channels.ts). `subscribed_through` is the highest user id
 * known to have a member row in it (users are subscribed in id order before each post).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('ops_channel')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('conversation_id', 'text', (c) => c.notNull().references('conversations.id'))
    .addColumn('subscribed_through', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
}
