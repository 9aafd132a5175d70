import type { Kysely } from 'kysely';
import type { DB } from '../db/index.ts';
import type { KeyPurpose, KeyStore, MasterMeta, StoredKey } from './keyring.ts';

/** The keyring's tables. */
export class KeyStoreRepo implements KeyStore {
  constructor(private readonly db: Kysely<DB>) {}

  async loadMeta(): Promise<MasterMeta | null> {
    const row = await this.db
      .selectFrom('crypto_meta')
      .selectAll()
      .where('id', '=', 'master')
      .executeTakeFirst();
    return row ? { salt1: row.salt1, salt2: row.salt2, logN: row.log_n, verifier: row.verifier } : null;
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
        created_at: key.createdAt,
        retired_at: key.retiredAt,
      })
      .execute();
  }
}
