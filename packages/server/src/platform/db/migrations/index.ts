import type { Migration } from 'kysely';
import * as m0001 from './0001_platform.ts';
import * as m0002 from './0002_accounts.ts';
import * as m0003 from './0003_messaging.ts';
import * as m0004 from './0004_people_and_settings.ts';
import * as m0005 from './0005_friends.ts';
import * as m0006 from './0006_directory.ts';
import * as m0007 from './0007_groups.ts';
import * as m0008 from './0008_opsaccount.ts';
import * as m0009 from './0009_security_codes.ts';
import * as m0010 from './0010_audit.ts';
import * as m0014 from './0014_admin.ts';
import * as m0011 from './0011_files.ts';
import * as m0012 from './0012_file_refs.ts';
import * as m0013 from './0013_stats.ts';
import * as m0015 from './0015_system.ts';
import * as m0016 from './0016_calls_meetings.ts';
import * as m0017 from './0017_moments.ts';
import * as m0018 from './0018_key_hierarchy.ts';
import * as m0019 from './0019_message_mac.ts';
import * as m0020 from './0020_ops_channel.ts';

/** Ordered, forward-only migrations; each runs on SQLite and PostgreSQL. Append, never edit. */
export const migrations: Record<string, Migration> = {
  '0001_platform': m0001,
  '0002_accounts': m0002,
  '0003_messaging': m0003,
  '0004_people_and_settings': m0004,
  '0005_friends': m0005,
  '0006_directory': m0006,
  '0007_groups': m0007,
  '0008_opsaccount': m0008,
  '0009_security_codes': m0009,
  '0010_audit': m0010,
  '0011_files': m0011,
  '0012_file_refs': m0012,
  '0013_stats': m0013,
  '0014_admin': m0014,
  '0015_system': m0015,
  '0016_calls_meetings': m0016,
  '0017_moments': m0017,
  '0018_key_hierarchy': m0018,
  '0019_message_mac': m0019,
  '0020_ops_channel': m0020,
};
