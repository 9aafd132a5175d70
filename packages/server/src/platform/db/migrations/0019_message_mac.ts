import { sql, type Kysely } from 'kysely';

/**
 * Per-message integrity: `messages.mac` holds an HMAC over what a reader sees of the row (see
 * modules/messages/integrity.ts). The migration has no keys, so rows already stored get the
 * placeholder 'legacy' (on PostgreSQL 11+ a constant default adds the column without rewriting the
 * table); the server replaces it with a real MAC at startup, in batches, and then records the
 * backfill as done in `message_mac_backfill`: from then on a 'legacy' row is a tampered one.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('messages')
    .addColumn('mac', 'text', (c) => c.notNull().defaultTo('legacy'))
    .execute();
  await db.schema
    .createTable('message_mac_backfill')
    .addColumn('name', 'text', (c) => c.primaryKey())
    // Null while rows written before this migration still carry 'legacy'.
    .addColumn('done_at', 'bigint')
    .execute();
  await sql`insert into message_mac_backfill (name) values ('messages')`.execute(db);
}
