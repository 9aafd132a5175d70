import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/index.ts';

export interface InstalledLicense {
  id: string;
  text: string;
  installedAt: number;
  installedBy: string | null;
}

/** The licenses table: installed files, the newest in force. */
export class LicenseRepo {
  constructor(private readonly db: Kysely<DB>) {}

  async insert(l: InstalledLicense): Promise<void> {
    await this.db
      .insertInto('licenses')
      .values({ id: l.id, text: l.text, installed_at: l.installedAt, installed_by: l.installedBy })
      .execute();
  }

  async current(): Promise<InstalledLicense | null> {
    const row = await this.db
      .selectFrom('licenses')
      .selectAll()
      .orderBy('installed_at', 'desc')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (!row) return null;
    return {
      id: row.id,
      text: row.text,
      installedAt: Number(row.installed_at),
      installedBy: row.installed_by,
    };
  }
}
