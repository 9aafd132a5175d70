import type { AccountsTables } from './tables/accounts.ts';
import type { AdminTables } from './tables/admin.ts';
import type { AuditTables } from './tables/audit.ts';
import type { CallsTables } from './tables/calls.ts';
import type { CodesTables } from './tables/codes.ts';
import type { DirectoryTables } from './tables/directory.ts';
import type { FileRefsTables } from './tables/filerefs.ts';
import type { FilesTables } from './tables/files.ts';
import type { FriendsTables } from './tables/friends.ts';
import type { GroupsTables } from './tables/groups.ts';
import type { MessagingTables } from './tables/messaging.ts';
import type { MomentsTables } from './tables/moments.ts';
import type { OpsAccountTables } from './tables/opsaccount.ts';
import type { PeopleTables } from './tables/people.ts';
import type { PlatformTables } from './tables/platform.ts';
import type { StatsTables } from './tables/stats.ts';
import type { SystemTables } from './tables/system.ts';

/** Every table, for Kysely. Each module owns its own file under tables/. */
export interface DB
  extends
    PlatformTables,
    AccountsTables,
    MessagingTables,
    PeopleTables,
    FriendsTables,
    DirectoryTables,
    CodesTables,
    GroupsTables,
    OpsAccountTables,
    AuditTables,
    AdminTables,
    FilesTables,
    FileRefsTables,
    StatsTables,
    SystemTables,
    CallsTables,
    MomentsTables {}
