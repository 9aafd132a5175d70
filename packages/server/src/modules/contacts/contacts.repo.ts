import type { Kysely, Selectable } from 'kysely';
import type { Keyring } from '../../platform/crypto/index.ts';
import type { DB } from '../../platform/db/index.ts';

/** One row of someone's contact list, decrypted. */
export interface ContactRecord {
  ownerId: string;
  contactId: string;
  remark: string;
  createdAt: number;
  updatedAt: number;
}

// The seal context names the row too, so a remark cannot be moved to another row or column.
const remarkContext = (ownerId: string, contactId: string) => `contacts.remark:${ownerId}:${contactId}`;

/** The contacts table: the only place with its SQL. Remarks are sealed with the keyring. */
export class ContactsRepo {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly keyring: Keyring,
  ) {}

  private toRecord(row: Selectable<DB['contacts']>): ContactRecord {
    return {
      ownerId: row.owner_id,
      contactId: row.contact_id,
      remark: this.keyring.open(row.remark_enc, remarkContext(row.owner_id, row.contact_id)),
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }

  /** The owner's contacts, oldest first. */
  async list(ownerId: string): Promise<ContactRecord[]> {
    const rows = await this.db
      .selectFrom('contacts')
      .selectAll()
      .where('owner_id', '=', ownerId)
      .orderBy('created_at')
      .orderBy('contact_id')
      .execute();
    return rows.map((r) => this.toRecord(r));
  }

  async get(ownerId: string, contactId: string): Promise<ContactRecord | null> {
    const row = await this.db
      .selectFrom('contacts')
      .selectAll()
      .where('owner_id', '=', ownerId)
      .where('contact_id', '=', contactId)
      .executeTakeFirst();
    return row ? this.toRecord(row) : null;
  }

  /**
   * Add a contact; when it is already there, keep it and only replace the remark if one is given.
   * One statement, so two devices adding the same person at once cannot collide.
   */
  async upsert(ownerId: string, contactId: string, remark: string | undefined, now: number): Promise<void> {
    const remarkEnc = this.keyring.seal(remark ?? '', remarkContext(ownerId, contactId));
    await this.db
      .insertInto('contacts')
      .values({
        owner_id: ownerId,
        contact_id: contactId,
        remark_enc: remarkEnc,
        created_at: now,
        updated_at: now,
      })
      .onConflict((oc) =>
        remark === undefined
          ? oc.columns(['owner_id', 'contact_id']).doNothing()
          : oc.columns(['owner_id', 'contact_id']).doUpdateSet({ remark_enc: remarkEnc, updated_at: now }),
      )
      .execute();
  }

  /** Returns false when there is no such contact. */
  async setRemark(ownerId: string, contactId: string, remark: string, now: number): Promise<boolean> {
    const res = await this.db
      .updateTable('contacts')
      .set({ remark_enc: this.keyring.seal(remark, remarkContext(ownerId, contactId)), updated_at: now })
      .where('owner_id', '=', ownerId)
      .where('contact_id', '=', contactId)
      .executeTakeFirst();
    return Number(res.numUpdatedRows) > 0;
  }

  /** Returns false when there was no such contact. */
  async remove(ownerId: string, contactId: string): Promise<boolean> {
    const res = await this.db
      .deleteFrom('contacts')
      .where('owner_id', '=', ownerId)
      .where('contact_id', '=', contactId)
      .executeTakeFirst();
    return Number(res.numDeletedRows) > 0;
  }

  /** The contact ids of each owner (no remarks decrypted), for recommendation and exports. */
  async contactIdsOf(ownerIds: readonly string[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>(ownerIds.map((id) => [id, []]));
    if (!ownerIds.length) return out;
    const rows = await this.db
      .selectFrom('contacts')
      .select(['owner_id', 'contact_id'])
      .where('owner_id', 'in', [...ownerIds])
      .execute();
    for (const r of rows) out.get(r.owner_id)?.push(r.contact_id);
    return out;
  }

  /** The users in `ownerId`'s list who also have `ownerId` in theirs (friends are mutual contacts). */
  async mutualIds(ownerId: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('contacts as mine')
      .innerJoin('contacts as theirs', (j) =>
        j.onRef('theirs.owner_id', '=', 'mine.contact_id').onRef('theirs.contact_id', '=', 'mine.owner_id'),
      )
      .select('mine.contact_id')
      .where('mine.owner_id', '=', ownerId)
      .execute();
    return rows.map((r) => r.contact_id);
  }
}
