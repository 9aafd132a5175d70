import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/index.ts';

/** Links between an upload's original hash and its cleaned copy's (the only SQL over media_hash_links). */
export class HashLinksRepo {
  constructor(private readonly db: Kysely<DB>) {}

  async link(originalSha256: string, cleanedSha256: string, now: number): Promise<void> {
    await this.db
      .insertInto('media_hash_links')
      .values({ original_sha256: originalSha256, cleaned_sha256: cleanedSha256, created_at: now })
      .onConflict((oc) => oc.columns(['original_sha256', 'cleaned_sha256']).doNothing())
      .execute();
  }

  /** Hashes linked to this one either way. */
  async linked(sha256: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('media_hash_links')
      .select(['original_sha256', 'cleaned_sha256'])
      .where((eb) => eb.or([eb('original_sha256', '=', sha256), eb('cleaned_sha256', '=', sha256)]))
      .limit(1000)
      .execute();
    return rows.map((r) => (r.original_sha256 === sha256 ? r.cleaned_sha256 : r.original_sha256));
  }
}
