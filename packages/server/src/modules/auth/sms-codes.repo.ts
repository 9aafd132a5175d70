import { sql, type Kysely } from 'kysely';
import type { DB } from '../../platform/db/index.ts';

/** The sms_codes and sms_sends tables: one live code per phone and purpose, and a log of sends. */
export class SmsCodesRepo {
  constructor(private readonly db: Kysely<DB>) {}

  /** When the last code for this phone and purpose was sent, if ever (within the log's window). */
  async lastSentAt(phoneIndex: string, purpose: string): Promise<number | null> {
    const row = await this.db
      .selectFrom('sms_sends')
      .select((eb) => eb.fn.max('sent_at').as('at'))
      .where('phone_index', '=', phoneIndex)
      .where('purpose', '=', purpose)
      .executeTakeFirst();
    return row?.at == null ? null : Number(row.at);
  }

  /** Sends to this phone (any purpose) since a time: how many, and the oldest. */
  async sendsSince(phoneIndex: string, since: number): Promise<{ count: number; oldest: number | null }> {
    const row = await this.db
      .selectFrom('sms_sends')
      .select((eb) => [eb.fn.countAll<number | string>().as('n'), eb.fn.min('sent_at').as('oldest')])
      .where('phone_index', '=', phoneIndex)
      .where('sent_at', '>', since)
      .executeTakeFirstOrThrow();
    return { count: Number(row.n), oldest: row.oldest == null ? null : Number(row.oldest) };
  }

  /** Log a send and forget this phone's sends older than `forgetBefore`. */
  async recordSend(phoneIndex: string, purpose: string, now: number, forgetBefore: number): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      await tx
        .deleteFrom('sms_sends')
        .where('phone_index', '=', phoneIndex)
        .where('sent_at', '<=', forgetBefore)
        .execute();
      await tx.insertInto('sms_sends').values({ phone_index: phoneIndex, purpose, sent_at: now }).execute();
    });
  }

  /** Store a new code, replacing the previous one for this phone and purpose (and its attempt count). */
  async putCode(
    phoneIndex: string,
    purpose: string,
    codeHash: string,
    expiresAt: number,
    now: number,
  ): Promise<void> {
    await this.db
      .insertInto('sms_codes')
      .values({
        phone_index: phoneIndex,
        purpose,
        code_hash: codeHash,
        expires_at: expiresAt,
        attempts: 0,
        created_at: now,
      })
      .onConflict((oc) =>
        oc.columns(['phone_index', 'purpose']).doUpdateSet({
          code_hash: codeHash,
          expires_at: expiresAt,
          attempts: 0,
          created_at: now,
        }),
      )
      .execute();
  }

  /** Delete the code if it is this one and unexpired: single use, even under concurrent tries. */
  async take(phoneIndex: string, purpose: string, codeHash: string, now: number): Promise<boolean> {
    const res = await this.db
      .deleteFrom('sms_codes')
      .where('phone_index', '=', phoneIndex)
      .where('purpose', '=', purpose)
      .where('code_hash', '=', codeHash)
      .where('expires_at', '>', now)
      .executeTakeFirst();
    return Number(res.numDeletedRows) === 1;
  }

  /** Count a wrong try; the code is deleted (burned) once it reaches `maxAttempts`. */
  async failAttempt(phoneIndex: string, purpose: string, maxAttempts: number): Promise<void> {
    await this.db
      .updateTable('sms_codes')
      .set({ attempts: sql<number>`attempts + 1` })
      .where('phone_index', '=', phoneIndex)
      .where('purpose', '=', purpose)
      .execute();
    await this.db
      .deleteFrom('sms_codes')
      .where('phone_index', '=', phoneIndex)
      .where('purpose', '=', purpose)
      .where('attempts', '>=', maxAttempts)
      .execute();
  }
}
