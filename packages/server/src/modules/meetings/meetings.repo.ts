import type { MeetingSettings, MeetingStatus } from '@zhixin/protocol';
import { sql, type Kysely, type Selectable } from 'kysely';
import type { Keyring } from '../../platform/crypto/index.ts';
import { isUniqueViolation, writeTransaction, type DB, type Dialect } from '../../platform/db/index.ts';
import { newId } from '../../platform/ids.ts';

/** Sealing contexts of the meeting columns. */
export const TOPIC = 'meeting.topic';
const DISPLAY = 'meeting.display';
const SECRET = 'meeting.room-secret';

/** A meeting as stored, with its sealed fields opened. */
export interface MeetingState {
  id: string;
  code: string;
  topic: string;
  hostId: string;
  coHostIds: string[];
  status: MeetingStatus;
  settings: MeetingSettings;
  mutedAll: boolean;
  scheduledAt: number | null;
  createdAt: number;
  startedAt: number | null;
  endedAt: number | null;
  /** Where its media room lives (null until the first join, or after its server died). */
  media: { server: string; room: number; secret: string } | null;
}

/** A row of meeting_participants with the display name opened. */
export interface ParticipantState {
  userId: string;
  display: string;
  feedId: number;
  screenFeedId: number;
  present: boolean;
  removed: boolean;
  mutedByHost: boolean;
  joinedAt: number;
  /** The audio mids each of the participant's feeds publishes (for Janus `moderate`). */
  audioMids: Record<string, string[]>;
}

type MeetingRow = Selectable<DB['meetings']>;
type ParticipantRow = Selectable<DB['meeting_participants']>;

export const num = (v: number | string | null): number | null => (v === null ? null : Number(v));

/** Meetings, invitations, participants and attendance. */
export class MeetingsRepo {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly dialect: Dialect,
    private readonly keyring: Keyring,
  ) {}

  private meetingOf(row: MeetingRow): MeetingState {
    const room = num(row.media_room);
    return {
      id: row.id,
      code: row.code,
      topic: this.keyring.open(row.topic_enc, TOPIC),
      hostId: row.host_id,
      coHostIds: JSON.parse(row.co_host_ids) as string[],
      status: row.status,
      settings: JSON.parse(row.settings) as MeetingSettings,
      mutedAll: row.muted_all === 1,
      scheduledAt: num(row.scheduled_at),
      createdAt: Number(row.created_at),
      startedAt: num(row.started_at),
      endedAt: num(row.ended_at),
      media:
        row.media_server !== null && room !== null && row.media_secret_enc !== null
          ? { server: row.media_server, room, secret: this.keyring.open(row.media_secret_enc, SECRET) }
          : null,
    };
  }

  private participantOf(row: ParticipantRow): ParticipantState {
    return {
      userId: row.user_id,
      display: this.keyring.open(row.display_enc, DISPLAY),
      feedId: Number(row.feed_id),
      screenFeedId: Number(row.screen_feed_id),
      present: row.present === 1,
      removed: row.removed === 1,
      mutedByHost: row.muted_by_host === 1,
      joinedAt: Number(row.joined_at),
      audioMids: JSON.parse(row.audio_mids) as Record<string, string[]>,
    };
  }

  /** Store a new meeting; `code()` is asked again while the code is taken. */
  async create(m: Omit<MeetingState, 'code' | 'media'>, code: () => string): Promise<MeetingState> {
    for (let attempt = 0; ; attempt++) {
      const withCode = { ...m, code: code(), media: null };
      try {
        await this.db
          .insertInto('meetings')
          .values({
            id: m.id,
            code: withCode.code,
            topic_enc: this.keyring.seal(m.topic, TOPIC),
            host_id: m.hostId,
            co_host_ids: JSON.stringify(m.coHostIds),
            status: m.status,
            settings: JSON.stringify(m.settings),
            muted_all: m.mutedAll ? 1 : 0,
            scheduled_at: m.scheduledAt,
            created_at: m.createdAt,
            started_at: m.startedAt,
            ended_at: m.endedAt,
            media_server: null,
            media_room: null,
            media_secret_enc: null,
          })
          .execute();
        return withCode;
      } catch (err) {
        if (!isUniqueViolation(err) || attempt >= 5) throw err;
      }
    }
  }

  async get(id: string): Promise<MeetingState | null> {
    const row = await this.db.selectFrom('meetings').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? this.meetingOf(row) : null;
  }

  async byCode(code: string): Promise<MeetingState | null> {
    const row = await this.db.selectFrom('meetings').selectAll().where('code', '=', code).executeTakeFirst();
    return row ? this.meetingOf(row) : null;
  }

  async update(
    id: string,
    patch: Partial<Pick<MeetingState, 'topic' | 'coHostIds' | 'settings' | 'mutedAll' | 'scheduledAt'>>,
  ): Promise<void> {
    await this.db
      .updateTable('meetings')
      .set({
        ...(patch.topic === undefined ? {} : { topic_enc: this.keyring.seal(patch.topic, TOPIC) }),
        ...(patch.coHostIds === undefined ? {} : { co_host_ids: JSON.stringify(patch.coHostIds) }),
        ...(patch.settings === undefined ? {} : { settings: JSON.stringify(patch.settings) }),
        ...(patch.mutedAll === undefined ? {} : { muted_all: patch.mutedAll ? 1 : 0 }),
        ...(patch.scheduledAt === undefined ? {} : { scheduled_at: patch.scheduledAt }),
      })
      .where('id', '=', id)
      .execute();
  }

  /**
   * Place the meeting's room (live from now) if it is still where the caller saw it (`from`:
   * a server id, or null for none). Returns whether this caller won.
   */
  async placeRoom(
    id: string,
    from: string | null,
    to: { server: string; room: number; secret: string } | null,
    now: number,
  ): Promise<boolean> {
    let q = this.db
      .updateTable('meetings')
      .set({
        media_server: to?.server ?? null,
        media_room: to?.room ?? null,
        media_secret_enc: to ? this.keyring.seal(to.secret, SECRET) : null,
        status: 'live',
        started_at: sql<number>`coalesce(started_at, ${now})`,
      })
      .where('id', '=', id)
      .where('status', '!=', 'ended');
    q = from === null ? q.where('media_server', 'is', null) : q.where('media_server', '=', from);
    return Number((await q.executeTakeFirst()).numUpdatedRows) === 1;
  }

  /** Mark ended (once); closes every stay. Returns whether this call ended it. */
  end(id: string, now: number): Promise<boolean> {
    return writeTransaction(this.db, this.dialect, async (trx) => {
      const res = await trx
        .updateTable('meetings')
        .set({ status: 'ended', ended_at: now })
        .where('id', '=', id)
        .where('status', '!=', 'ended')
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) !== 1) return false;
      await this.closeStays(trx, id, null, now);
      return true;
    });
  }

  /** Live meetings whose room is on a server. */
  async liveOn(server: string): Promise<MeetingState[]> {
    const rows = await this.db
      .selectFrom('meetings')
      .selectAll()
      .where('media_server', '=', server)
      .where('status', '=', 'live')
      .execute();
    return rows.map((r) => this.meetingOf(r));
  }

  /** Live rooms per server (placement picks the least loaded). */
  async roomsPerServer(): Promise<Map<string, number>> {
    const rows = await this.db
      .selectFrom('meetings')
      .select(['media_server', (eb) => eb.fn.countAll<number>().as('n')])
      .where('status', '=', 'live')
      .where('media_server', 'is not', null)
      .groupBy('media_server')
      .execute();
    return new Map(rows.map((r) => [r.media_server as string, Number(r.n)]));
  }

  async addInvites(meetingId: string, userIds: readonly string[], by: string, now: number): Promise<void> {
    if (!userIds.length) return;
    await this.db
      .insertInto('meeting_invites')
      .values(userIds.map((user_id) => ({ meeting_id: meetingId, user_id, invited_by: by, created_at: now })))
      .onConflict((oc) => oc.columns(['meeting_id', 'user_id']).doNothing())
      .execute();
  }

  async isInvited(meetingId: string, userId: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('meeting_invites')
      .select('user_id')
      .where('meeting_id', '=', meetingId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return row !== undefined;
  }

  async participants(meetingId: string, presentOnly = true): Promise<ParticipantState[]> {
    let q = this.db.selectFrom('meeting_participants').selectAll().where('meeting_id', '=', meetingId);
    if (presentOnly) q = q.where('present', '=', 1);
    return (await q.orderBy('joined_at').execute()).map((r) => this.participantOf(r));
  }

  async participant(meetingId: string, userId: string): Promise<ParticipantState | null> {
    const row = await this.db
      .selectFrom('meeting_participants')
      .selectAll()
      .where('meeting_id', '=', meetingId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return row ? this.participantOf(row) : null;
  }

  /** Enter (or re-enter) the meeting: a new stay unless already inside; feed ids stay the same. */
  join(
    meetingId: string,
    p: { userId: string; display: string; feedId: number; screenFeedId: number; muted: boolean },
    now: number,
  ): Promise<void> {
    return writeTransaction(this.db, this.dialect, async (trx) => {
      const existing = await trx
        .selectFrom('meeting_participants')
        .select(['present'])
        .where('meeting_id', '=', meetingId)
        .where('user_id', '=', p.userId)
        .executeTakeFirst();
      if (existing?.present === 1) return;
      const display_enc = this.keyring.seal(p.display, DISPLAY);
      if (existing) {
        await trx
          .updateTable('meeting_participants')
          .set({
            present: 1,
            joined_at: now,
            display_enc,
            muted_by_host: p.muted ? 1 : 0,
            history_hidden: 0,
            audio_mids: '{}',
          })
          .where('meeting_id', '=', meetingId)
          .where('user_id', '=', p.userId)
          .execute();
      } else {
        await trx
          .insertInto('meeting_participants')
          .values({
            meeting_id: meetingId,
            user_id: p.userId,
            display_enc,
            feed_id: p.feedId,
            screen_feed_id: p.screenFeedId,
            present: 1,
            removed: 0,
            muted_by_host: p.muted ? 1 : 0,
            joined_at: now,
            first_joined_at: now,
            total_ms: 0,
            history_hidden: 0,
            audio_mids: '{}',
          })
          .execute();
      }
      await trx
        .insertInto('meeting_attendance')
        .values({ id: newId(), meeting_id: meetingId, user_id: p.userId, joined_at: now, left_at: null })
        .execute();
    });
  }

  /** Leave (or be removed): the stay ends; returns whether they were inside. */
  leave(meetingId: string, userId: string, now: number, removed = false): Promise<boolean> {
    return writeTransaction(this.db, this.dialect, async (trx) => {
      if (removed) {
        await trx
          .updateTable('meeting_participants')
          .set({ removed: 1 })
          .where('meeting_id', '=', meetingId)
          .where('user_id', '=', userId)
          .execute();
      }
      return this.closeStays(trx, meetingId, userId, now);
    });
  }

  private async closeStays(
    trx: Kysely<DB>,
    meetingId: string,
    userId: string | null,
    now: number,
  ): Promise<boolean> {
    let q = trx
      .updateTable('meeting_participants')
      .set({ present: 0, total_ms: sql<number>`total_ms + (${now} - joined_at)` })
      .where('meeting_id', '=', meetingId)
      .where('present', '=', 1);
    if (userId !== null) q = q.where('user_id', '=', userId);
    const res = await q.executeTakeFirst();
    let a = trx
      .updateTable('meeting_attendance')
      .set({ left_at: now })
      .where('meeting_id', '=', meetingId)
      .where('left_at', 'is', null);
    if (userId !== null) a = a.where('user_id', '=', userId);
    await a.execute();
    return Number(res.numUpdatedRows) > 0;
  }

  /** Set the host mute of some participants (null: every present one but `except`). */
  async setMuted(
    meetingId: string,
    userIds: readonly string[] | null,
    muted: boolean,
    except: readonly string[] = [],
  ): Promise<void> {
    let q = this.db
      .updateTable('meeting_participants')
      .set({ muted_by_host: muted ? 1 : 0 })
      .where('meeting_id', '=', meetingId);
    if (userIds !== null) q = q.where('user_id', 'in', userIds.length ? userIds : ['']);
    if (except.length) q = q.where('user_id', 'not in', except);
    await q.execute();
  }

  /** Note the audio mids a feed of a participant publishes now. */
  async setAudioMids(
    meetingId: string,
    userId: string,
    feedId: number,
    mids: readonly string[],
  ): Promise<void> {
    const p = await this.participant(meetingId, userId);
    if (!p) return;
    await this.db
      .updateTable('meeting_participants')
      .set({ audio_mids: JSON.stringify({ ...p.audioMids, [String(feedId)]: mids }) })
      .where('meeting_id', '=', meetingId)
      .where('user_id', '=', userId)
      .execute();
  }
}
