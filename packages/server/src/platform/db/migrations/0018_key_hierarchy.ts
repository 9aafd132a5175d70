import type { Kysely } from 'kysely';

/**
 * The key-encryption key (KEK) between the master key and the data/index/jwt keys. Existing rows keep
 * `kek_id` NULL (wrapped by the master key itself) until the next unseal re-wraps them under a new KEK
 * in one transaction: that needs the custodian passwords, which a migration does not have.
 * `crypto_holders` lists the nodes that hold the KEK in memory (a lease renewed while they run), so
 * `zhixin keys rotate` can refuse to replace a KEK that running nodes still use.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('crypto_meta').addColumn('kek_id', 'text').execute();
  await db.schema.alterTable('crypto_meta').addColumn('kek_wrapped', 'text').execute();
  await db.schema.alterTable('crypto_keys').addColumn('kek_id', 'text').execute();
  await db.schema
    .createTable('crypto_holders')
    .addColumn('node_id', 'text', (c) => c.primaryKey())
    .addColumn('kek_id', 'text', (c) => c.notNull())
    .addColumn('seen_at', 'bigint', (c) => c.notNull())
    .execute();
}
