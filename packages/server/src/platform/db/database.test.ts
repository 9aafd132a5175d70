import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { freshDatabase } from './testing.ts';

describe('SQLite settings of openDatabase', () => {
  it('runs WAL with NORMAL sync (WalDurability syncs the commits) and checkpoints every 8,000 pages', async () => {
    const { db, close } = await freshDatabase('sqlite');
    try {
      const pragma = async (name: string) => {
        const { rows } = await sql.raw<Record<string, unknown>>(`pragma ${name}`).execute(db);
        return Object.values(rows[0] ?? {})[0];
      };
      expect(await pragma('journal_mode')).toBe('wal');
      expect(await pragma('synchronous')).toBe(1);
      expect(await pragma('wal_autocheckpoint')).toBe(8000);
    } finally {
      await close();
    }
  });
});
