import type { Kysely } from 'kysely';

/** Usage statistics rollups (tables/stats.ts). */
export async function up(db: Kysely<unknown>): Promise<void> {
  const counts = [
    'new_users',
    'logins',
    'new_groups',
    'direct_messages',
    'group_messages',
    'meetings',
    'meeting_participants',
    'meeting_seconds',
    'peak_online_users',
    'peak_online_connections',
  ];
  let hours = db.schema.createTable('stats_hours').addColumn('bucket', 'bigint', (c) => c.primaryKey());
  for (const name of counts) hours = hours.addColumn(name, 'bigint', (c) => c.notNull().defaultTo(0));
  await hours.execute();

  await db.schema
    .createTable('stats_user_days')
    .addColumn('day', 'bigint', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('active_hours', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('sent_hours', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('messages_sent', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('logins', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('last_active_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('stats_user_days_pk', ['day', 'user_id'])
    .execute();
  // One user's days (activity, exports in user order).
  await db.schema
    .createIndex('stats_user_days_user')
    .on('stats_user_days')
    .columns(['user_id', 'day'])
    .execute();

  await db.schema
    .createTable('stats_group_days')
    .addColumn('day', 'bigint', (c) => c.notNull())
    .addColumn('conversation_id', 'text', (c) => c.notNull())
    .addColumn('messages', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('active_hours', 'bigint', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('stats_group_days_pk', ['day', 'conversation_id'])
    .execute();

  await db.schema
    .createTable('stats_latest')
    .addColumn('set', 'text', (c) => c.notNull())
    .addColumn('member_id', 'text', (c) => c.notNull())
    .addColumn('day', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('stats_latest_pk', ['set', 'member_id'])
    .execute();
  await db.schema.createIndex('stats_latest_day').on('stats_latest').columns(['set', 'day']).execute();

  await db.schema
    .createTable('stats_closed_periods')
    .addColumn('metric', 'text', (c) => c.notNull())
    .addColumn('granularity', 'text', (c) => c.notNull())
    .addColumn('bucket', 'bigint', (c) => c.notNull())
    .addColumn('value', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('stats_closed_periods_pk', ['metric', 'granularity', 'bucket'])
    .execute();
}
