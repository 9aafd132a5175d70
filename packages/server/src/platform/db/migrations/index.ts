import type { Migration } from 'kysely';
import * as m0001 from './0001_platform.ts';
import * as m0002 from './0002_accounts.ts';
import * as m0003 from './0003_messaging.ts';
import * as m0004 from './0004_people_and_settings.ts';

/** Ordered, forward-only migrations; each runs on SQLite and PostgreSQL. Append, never edit. */
export const migrations: Record<string, Migration> = {
  '0001_platform': m0001,
  '0002_accounts': m0002,
  '0003_messaging': m0003,
  '0004_people_and_settings': m0004,
};
