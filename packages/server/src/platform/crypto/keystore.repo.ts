import type { Kysely } from 'kysely';
import { writeTransaction, type DB, type Dialect } from '../db/index.ts';
import type {
  KeyChange,
  KeyHolder,
  KeyHolders,
  KeyPurpose,
  KeyStore,
  MasterMeta,
  StoredKey,
} from './keystore.ts';

/** The keyring's tables. */
export class KeyStoreRepo implements KeyStore, KeyHolders {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly dialect: Dialect,
  ) {}

  async loadMeta(): Promise<MasterMeta | null> {
    const row = await this.db
      .selectFrom('crypto_meta')
      .selectAll()
      .where('id', '=', 'master')
      .executeTakeFirst();
    return row
      ? {
          salt1: row.salt1,
          salt2: row.salt2,
          logN: row.log_n,
          verifier: row.verifier,
          kekId: row.kek_id,
          kekWrapped: row.kek_wrapped,
        }
      : null;
  }

  async initMeta(meta: MasterMeta): Promise<MasterMeta> {
    await this.db
      .insertInto('crypto_meta')
      .values({
        id: 'master',
        salt1: meta.salt1,
        salt2: meta.salt2,
        log_n: meta.logN,
        verifier: meta.verifier,
        kek_id: meta.kekId,
        kek_wrapped: meta.kekWrapped,
        created_at: Date.now(),
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
    return (await this.loadMeta()) as MasterMeta;
  }

  async loadKeys(): Promise<StoredKey[]> {
    const rows = await this.db.selectFrom('crypto_keys').selectAll().execute();
    return rows.map((r) => ({
      id: r.id,
      purpose: r.purpose as KeyPurpose,
      wrapped: r.wrapped,
      kekId: r.kek_id,
      createdAt: r.created_at,
      retiredAt: r.retired_at,
    }));
  }

  async addKey(key: StoredKey): Promise<void> {
    await this.db
      .insertInto('crypto_keys')
      .values({
        id: key.id,
        purpose: key.purpose,
        wrapped: key.wrapped,
        kek_id: key.kekId,
        created_at: key.createdAt,
        retired_at: key.retiredAt,
      })
      .execute();
  }

  async commit(change: KeyChange): Promise<boolean> {
    return writeTransaction(this.db, this.dialect, async (trx) => {
      const { meta, expected } = change;
      // The compare-and-set on the meta row comes first: it also locks the row (PostgreSQL) for the rest.
      const updated = await trx
        .updateTable('crypto_meta')
        .set({
          salt1: meta.salt1,
          salt2: meta.salt2,
          verifier: meta.verifier,
          kek_id: meta.kekId,
          kek_wrapped: meta.kekWrapped,
        })
        .where('id', '=', 'master')
        .where('verifier', '=', expected.verifier)
        .where((eb) =>
          expected.kekId === null ? eb('kek_id', 'is', null) : eb('kek_id', '=', expected.kekId),
        )
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) !== 1) return false;
      for (const k of change.rewrapped) {
        await trx
          .updateTable('crypto_keys')
          .set({ wrapped: k.wrapped, kek_id: k.kekId, retired_at: k.retiredAt })
          .where('id', '=', k.id)
          .execute();
      }
      for (const key of change.added) {
        await trx
          .insertInto('crypto_keys')
          .values({
            id: key.id,
            purpose: key.purpose,
            wrapped: key.wrapped,
            kek_id: key.kekId,
            created_at: key.createdAt,
            retired_at: key.retiredAt,
          })
          .execute();
      }
      return true;
    });
  }

  async renew(holder: KeyHolder): Promise<void> {
    await this.db
      .insertInto('crypto_holders')
      .values({ node_id: holder.nodeId, kek_id: holder.kekId, seen_at: holder.seenAt })
      .onConflict((oc) => oc.column('node_id').doUpdateSet({ kek_id: holder.kekId, seen_at: holder.seenAt }))
      .execute();
  }

  async release(nodeId: string): Promise<void> {
    await this.db.deleteFrom('crypto_holders').where('node_id', '=', nodeId).execute();
  }

  async live(since: number): Promise<KeyHolder[]> {
    const rows = await this.db
      .selectFrom('crypto_holders')
      .selectAll()
      .where('seen_at', '>=', since)
      .orderBy('node_id')
      .execute();
    return rows.map((r) => ({ nodeId: r.node_id, kekId: r.kek_id, seenAt: r.seen_at }));
  }
}
