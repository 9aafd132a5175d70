import type { Kysely } from 'kysely';

/** 1:1 calls and meetings (R-X3, R-X4, R-V1, R-V2). */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('calls')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('conversation_id', 'text', (c) => c.notNull())
    .addColumn('caller_id', 'text', (c) => c.notNull())
    .addColumn('callee_id', 'text', (c) => c.notNull())
    .addColumn('media', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('caller_session_id', 'text', (c) => c.notNull())
    .addColumn('callee_session_id', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('answered_at', 'bigint')
    .addColumn('ended_at', 'bigint')
    .addColumn('outcome', 'text')
    .addColumn('ring_until', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('calls_state_ring').on('calls').columns(['state', 'ring_until']).execute();
  // One line per user in a call (ringing or talking): the primary key makes "busy" atomic cluster-wide.
  await db.schema
    .createTable('call_lines')
    .addColumn('user_id', 'text', (c) => c.primaryKey())
    .addColumn('call_id', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('meetings')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('topic_enc', 'text', (c) => c.notNull())
    .addColumn('host_id', 'text', (c) => c.notNull())
    .addColumn('co_host_ids', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('settings', 'text', (c) => c.notNull())
    .addColumn('muted_all', 'integer', (c) => c.notNull())
    .addColumn('scheduled_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('started_at', 'bigint')
    .addColumn('ended_at', 'bigint')
    // Where the media room lives: the pool's server id, the Janus room id and its secret and pin.
    .addColumn('media_server', 'text')
    .addColumn('media_room', 'bigint')
    .addColumn('media_secret_enc', 'text')
    .execute();
  await db.schema.createIndex('meetings_host').on('meetings').columns(['host_id', 'created_at']).execute();
  await db.schema.createIndex('meetings_server').on('meetings').columns(['media_server', 'status']).execute();
  await db.schema
    .createTable('meeting_invites')
    .addColumn('meeting_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('invited_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('meeting_invites_pk', ['meeting_id', 'user_id'])
    .execute();
  // Everyone who ever joined: present now or not, removed or not, their feed ids.
  await db.schema
    .createTable('meeting_participants')
    .addColumn('meeting_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('display_enc', 'text', (c) => c.notNull())
    .addColumn('feed_id', 'bigint', (c) => c.notNull())
    .addColumn('screen_feed_id', 'bigint', (c) => c.notNull())
    .addColumn('present', 'integer', (c) => c.notNull())
    .addColumn('removed', 'integer', (c) => c.notNull())
    .addColumn('muted_by_host', 'integer', (c) => c.notNull())
    .addColumn('joined_at', 'bigint', (c) => c.notNull())
    .addColumn('first_joined_at', 'bigint', (c) => c.notNull())
    .addColumn('total_ms', 'bigint', (c) => c.notNull())
    .addColumn('history_hidden', 'integer', (c) => c.notNull())
    // JSON {feedId: [audio mids]}: what host mutes ask Janus to `moderate` (learned by the proxy).
    .addColumn('audio_mids', 'text', (c) => c.notNull().defaultTo('{}'))
    .addPrimaryKeyConstraint('meeting_participants_pk', ['meeting_id', 'user_id'])
    .execute();
  await db.schema
    .createIndex('meeting_participants_user')
    .on('meeting_participants')
    .columns(['user_id', 'first_joined_at'])
    .execute();
  // Each stay of each participant (the meeting record).
  await db.schema
    .createTable('meeting_attendance')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('meeting_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('joined_at', 'bigint', (c) => c.notNull())
    .addColumn('left_at', 'bigint')
    .execute();
  await db.schema
    .createIndex('meeting_attendance_meeting')
    .on('meeting_attendance')
    .columns(['meeting_id', 'joined_at'])
    .execute();
}
