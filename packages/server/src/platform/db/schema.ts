import type { AccountsTables } from './tables/accounts.ts';
import type { MessagingTables } from './tables/messaging.ts';
import type { PeopleTables } from './tables/people.ts';
import type { PlatformTables } from './tables/platform.ts';

/** Every table, for Kysely. Each module owns its own file under tables/. */
export interface DB extends PlatformTables, AccountsTables, MessagingTables, PeopleTables {}
