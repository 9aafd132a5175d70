import type { MeetingAttendance, MeetingHistoryItem } from '@zhixin/protocol';
import type { Kysely } from 'kysely';
import type { Keyring } from '../../platform/crypto/index.ts';
import type { DB } from '../../platform/db/index.ts';
import { num, TOPIC } from './meetings.repo.ts';

/** Each user's meeting history and each meeting's record (stays, durations, head count). */
export class MeetingHistoryRepo {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly keyring: Keyring,
  ) {}

  async history(userId: string, before: number | undefined, limit: number): Promise<MeetingHistoryItem[]> {
    let q = this.db
      .selectFrom('meeting_participants as p')
      .innerJoin('meetings as m', 'm.id', 'p.meeting_id')
      .select([
        'm.id',
        'm.code',
        'm.topic_enc',
        'm.host_id',
        'm.status',
        'm.started_at',
        'm.ended_at',
        'p.first_joined_at',
        'p.total_ms',
        'p.present',
        'p.joined_at',
      ])
      .select((eb) =>
        eb
          .selectFrom('meeting_participants as q')
          .select((e) => e.fn.countAll<number>().as('n'))
          .whereRef('q.meeting_id', '=', 'm.id')
          .as('participant_count'),
      )
      .where('p.user_id', '=', userId)
      .where('p.history_hidden', '=', 0);
    if (before !== undefined) q = q.where('p.first_joined_at', '<', before);
    const rows = await q.orderBy('p.first_joined_at', 'desc').limit(limit).execute();
    const now = Date.now();
    return rows.map((r) => ({
      meetingId: r.id,
      code: r.code,
      topic: this.keyring.open(r.topic_enc, TOPIC),
      hostId: r.host_id,
      status: r.status,
      startedAt: num(r.started_at),
      endedAt: num(r.ended_at),
      firstJoinedAt: Number(r.first_joined_at),
      myDurationMs: Number(r.total_ms) + (r.present === 1 ? Math.max(0, now - Number(r.joined_at)) : 0),
      participantCount: Number(r.participant_count ?? 0),
    }));
  }

  async hideHistory(userId: string, meetingIds: readonly string[]): Promise<void> {
    await this.db
      .updateTable('meeting_participants')
      .set({ history_hidden: 1 })
      .where('user_id', '=', userId)
      .where('meeting_id', 'in', meetingIds)
      .execute();
  }

  async attendance(meetingId: string, now: number): Promise<MeetingAttendance[]> {
    const rows = await this.db
      .selectFrom('meeting_attendance')
      .selectAll()
      .where('meeting_id', '=', meetingId)
      .orderBy('joined_at')
      .execute();
    return rows.map((r) => {
      const leftAt = num(r.left_at);
      const joinedAt = Number(r.joined_at);
      return { userId: r.user_id, joinedAt, leftAt, durationMs: Math.max(0, (leftAt ?? now) - joinedAt) };
    });
  }

  /** How many different people ever joined. */
  async participantCount(meetingId: string): Promise<number> {
    const row = await this.db
      .selectFrom('meeting_participants')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('meeting_id', '=', meetingId)
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }
}
