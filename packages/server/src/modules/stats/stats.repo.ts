import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { DB, Dialect } from '../../platform/db/index.ts';
import { writeTransaction } from '../../platform/db/index.ts';

/** The additive and highest-sample counters of one hour (a row of stats_hours). */
export interface HourCounts {
  newUsers: number;
  logins: number;
  newGroups: number;
  directMessages: number;
  groupMessages: number;
  meetings: number;
  meetingParticipants: number;
  meetingSeconds: number;
  peakOnlineUsers: number;
  peakOnlineConnections: number;
}

export interface UserDayDelta {
  day: number;
  userId: string;
  activeHours: number;
  sentHours: number;
  messagesSent: number;
  logins: number;
  lastActiveAt: number;
}

export interface GroupDayDelta {
  day: number;
  conversationId: string;
  messages: number;
  activeHours: number;
}

/** The sets distinct counts are taken from. */
export type DistinctSet = 'activeUsers' | 'senders' | 'activeGroups';

export interface UserActivityRow {
  userId: string;
  activeDays: number;
  messagesSent: number;
  logins: number;
  lastActiveAt: number;
}

const SET_KEY: Record<DistinctSet, string> = { activeUsers: 'a', senders: 's', activeGroups: 'g' };

/** Most hours in a local day (25 on the day a daylight-saving zone falls back). */
export const MAX_DAY_HOURS = 25;
// Rows per multi-row upsert: well under SQLite's and PostgreSQL's parameter limits.
const CHUNK = 400;

function chunks<T>(rows: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += CHUNK) out.push(rows.slice(i, i + CHUNK));
  return out;
}

/** The statistics tables: additive upserts from every node's flush, and the queries behind the APIs. */
export class StatsRepo {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly dialect: Dialect,
  ) {}

  private larger(a: string, b: string): RawBuilder<number> {
    const fn = this.dialect === 'postgres' ? 'greatest' : 'max';
    return sql<number>`${sql.raw(fn)}(${sql.ref(a)}, ${sql.ref(b)})`;
  }

  private add(table: string, column: string): RawBuilder<number> {
    return sql<number>`${sql.ref(`${table}.${column}`)} + ${sql.ref(`excluded.${column}`)}`;
  }

  private or(table: string, column: string): RawBuilder<number> {
    return sql<number>`${sql.ref(`${table}.${column}`)} | ${sql.ref(`excluded.${column}`)}`;
  }

  /** Add one flush's counts to the rollups in one transaction (several nodes add to the same rows). */
  async addAll(
    hours: ReadonlyMap<number, HourCounts>,
    userDays: readonly UserDayDelta[],
    groupDays: readonly GroupDayDelta[],
  ): Promise<void> {
    await writeTransaction(this.db, this.dialect, async (trx) => {
      const hourRows = [...hours].map(([bucket, c]) => ({
        bucket,
        new_users: c.newUsers,
        logins: c.logins,
        new_groups: c.newGroups,
        direct_messages: c.directMessages,
        group_messages: c.groupMessages,
        meetings: c.meetings,
        meeting_participants: c.meetingParticipants,
        meeting_seconds: c.meetingSeconds,
        peak_online_users: c.peakOnlineUsers,
        peak_online_connections: c.peakOnlineConnections,
      }));
      const t = 'stats_hours';
      for (const rows of chunks(hourRows))
        await trx
          .insertInto('stats_hours')
          .values(rows)
          .onConflict((oc) =>
            oc.column('bucket').doUpdateSet({
              new_users: this.add(t, 'new_users'),
              logins: this.add(t, 'logins'),
              new_groups: this.add(t, 'new_groups'),
              direct_messages: this.add(t, 'direct_messages'),
              group_messages: this.add(t, 'group_messages'),
              meetings: this.add(t, 'meetings'),
              meeting_participants: this.add(t, 'meeting_participants'),
              meeting_seconds: this.add(t, 'meeting_seconds'),
              peak_online_users: this.larger(`${t}.peak_online_users`, 'excluded.peak_online_users'),
              peak_online_connections: this.larger(
                `${t}.peak_online_connections`,
                'excluded.peak_online_connections',
              ),
            }),
          )
          .execute();
      const u = 'stats_user_days';
      for (const rows of chunks(userDays))
        await trx
          .insertInto('stats_user_days')
          .values(
            rows.map((r) => ({
              day: r.day,
              user_id: r.userId,
              active_hours: r.activeHours,
              sent_hours: r.sentHours,
              messages_sent: r.messagesSent,
              logins: r.logins,
              last_active_at: r.lastActiveAt,
            })),
          )
          .onConflict((oc) =>
            oc.columns(['day', 'user_id']).doUpdateSet({
              active_hours: this.or(u, 'active_hours'),
              sent_hours: this.or(u, 'sent_hours'),
              messages_sent: this.add(u, 'messages_sent'),
              logins: this.add(u, 'logins'),
              last_active_at: this.larger(`${u}.last_active_at`, 'excluded.last_active_at'),
            }),
          )
          .execute();
      const g = 'stats_group_days';
      for (const rows of chunks(groupDays))
        await trx
          .insertInto('stats_group_days')
          .values(
            rows.map((r) => ({
              day: r.day,
              conversation_id: r.conversationId,
              messages: r.messages,
              active_hours: r.activeHours,
            })),
          )
          .onConflict((oc) =>
            oc.columns(['day', 'conversation_id']).doUpdateSet({
              messages: this.add(g, 'messages'),
              active_hours: this.or(g, 'active_hours'),
            }),
          )
          .execute();
      await this.advanceLatest(trx, groupDays, userDays);
    });
  }

  /** Move each member's latest day forward (never back). */
  private async advanceLatest(
    trx: Kysely<DB>,
    groupDays: readonly GroupDayDelta[],
    userDays: readonly UserDayDelta[],
  ) {
    const latest = new Map<string, { set: string; member_id: string; day: number }>();
    const see = (set: string, member: string, day: number) => {
      const key = `${set}\0${member}`;
      const prior = latest.get(key);
      if (!prior || prior.day < day) latest.set(key, { set, member_id: member, day });
    };
    for (const u of userDays) {
      see(SET_KEY.activeUsers, u.userId, u.day);
      if (u.messagesSent > 0) see(SET_KEY.senders, u.userId, u.day);
    }
    for (const g of groupDays) see(SET_KEY.activeGroups, g.conversationId, g.day);
    for (const rows of chunks([...latest.values()]))
      await trx
        .insertInto('stats_latest')
        .values(rows)
        .onConflict((oc) =>
          oc
            .columns(['set', 'member_id'])
            .doUpdateSet({ day: this.larger('stats_latest.day', 'excluded.day') }),
        )
        .execute();
  }

  /** Distinct members of a set seen on `fromDay` or later (exact for ranges reaching the latest data). */
  async distinctSince(set: DistinctSet, fromDay: number): Promise<number> {
    const row = await this.db
      .selectFrom('stats_latest')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('set', '=', SET_KEY[set])
      .where('day', '>=', fromDay)
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /** The hourly rows of [from, to), in time order. */
  async hours(from: number, to: number): Promise<Array<HourCounts & { bucket: number }>> {
    const rows = await this.db
      .selectFrom('stats_hours')
      .selectAll()
      .where('bucket', '>=', from)
      .where('bucket', '<', to)
      .orderBy('bucket')
      .execute();
    return rows.map((r) => ({
      bucket: Number(r.bucket),
      newUsers: Number(r.new_users),
      logins: Number(r.logins),
      newGroups: Number(r.new_groups),
      directMessages: Number(r.direct_messages),
      groupMessages: Number(r.group_messages),
      meetings: Number(r.meetings),
      meetingParticipants: Number(r.meeting_participants),
      meetingSeconds: Number(r.meeting_seconds),
      peakOnlineUsers: Number(r.peak_online_users),
      peakOnlineConnections: Number(r.peak_online_connections),
    }));
  }

  /** Distinct members of a set over the days starting in [fromDay, toDay). */
  async distinct(set: DistinctSet, fromDay: number, toDay: number): Promise<number> {
    const row =
      set === 'activeGroups'
        ? await this.db
            .selectFrom('stats_group_days')
            .select((eb) => eb.fn.count<number>('conversation_id').distinct().as('n'))
            .where('day', '>=', fromDay)
            .where('day', '<', toDay)
            .executeTakeFirst()
        : await this.db
            .selectFrom('stats_user_days')
            .select((eb) => eb.fn.count<number>('user_id').distinct().as('n'))
            .where('day', '>=', fromDay)
            .where('day', '<', toDay)
            .$if(set === 'senders', (qb) => qb.where('messages_sent', '>', 0))
            .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /** Per day in [fromDay, toDay): the set's size that day (days without members are absent). */
  async perDay(set: DistinctSet, fromDay: number, toDay: number): Promise<Map<number, number>> {
    const rows =
      set === 'activeGroups'
        ? await this.db
            .selectFrom('stats_group_days')
            .select(['day', (eb) => eb.fn.countAll<number>().as('n')])
            .where('day', '>=', fromDay)
            .where('day', '<', toDay)
            .groupBy('day')
            .execute()
        : await this.db
            .selectFrom('stats_user_days')
            .select(['day', (eb) => eb.fn.countAll<number>().as('n')])
            .where('day', '>=', fromDay)
            .where('day', '<', toDay)
            .$if(set === 'senders', (qb) => qb.where('messages_sent', '>', 0))
            .groupBy('day')
            .execute();
    return new Map(rows.map((r) => [Number(r.day), Number(r.n)]));
  }

  /**
   * Per day in [fromDay, toDay): the set's size in each hour of the day (from the hour masks), as
   * `counts[i]` = members active in the day's i-th hour.
   */
  async perHourOfDay(set: DistinctSet, fromDay: number, toDay: number): Promise<Map<number, number[]>> {
    const table = set === 'activeGroups' ? 'stats_group_days' : 'stats_user_days';
    const mask = set === 'senders' ? 'sent_hours' : 'active_hours';
    const sums = Array.from(
      { length: MAX_DAY_HOURS },
      (_, i) => sql`sum((${sql.ref(mask)} >> ${sql.lit(i)}) & 1)`,
    );
    const result = await sql<Record<string, number | string>>`
      select day, ${sql.join(sums.map((s, i) => sql`${s} as ${sql.ref(`h${i}`)}`))}
      from ${sql.table(table)}
      where day >= ${fromDay} and day < ${toDay} and ${sql.ref(mask)} <> 0
      group by day`.execute(this.db);
    const out = new Map<number, number[]>();
    for (const row of result.rows)
      out.set(
        Number(row.day),
        Array.from({ length: MAX_DAY_HOURS }, (_, i) => Number(row[`h${i}`] ?? 0)),
      );
    return out;
  }

  /** Cached values of closed periods among `buckets`. */
  async closedPeriods(
    metric: string,
    granularity: string,
    buckets: readonly number[],
  ): Promise<Map<number, number>> {
    const out = new Map<number, number>();
    if (buckets.length === 0) return out;
    const rows = await this.db
      .selectFrom('stats_closed_periods')
      .select(['bucket', 'value'])
      .where('metric', '=', metric)
      .where('granularity', '=', granularity)
      .where('bucket', '>=', buckets[0]!)
      .where('bucket', '<=', buckets[buckets.length - 1]!)
      .execute();
    for (const r of rows) out.set(Number(r.bucket), Number(r.value));
    return out;
  }

  /** Remember the values of closed periods (the first writer wins; the values are the same). */
  async saveClosedPeriods(
    metric: string,
    granularity: string,
    values: ReadonlyArray<[bucket: number, value: number]>,
  ): Promise<void> {
    for (const rows of chunks(values))
      await this.db
        .insertInto('stats_closed_periods')
        .values(rows.map(([bucket, value]) => ({ metric, granularity, bucket, value })))
        .onConflict((oc) => oc.columns(['metric', 'granularity', 'bucket']).doNothing())
        .execute();
  }

  /** Users active on days in [fromDay, toDay), after `afterUserId` in id order. */
  async activeUsersPage(
    fromDay: number,
    toDay: number,
    afterUserId: string | null,
    limit: number,
  ): Promise<UserActivityRow[]> {
    const rows = await this.db
      .selectFrom('stats_user_days')
      .select((eb) => [
        'user_id',
        eb.fn.countAll<number>().as('active_days'),
        eb.fn.sum<number>('messages_sent').as('messages_sent'),
        eb.fn.sum<number>('logins').as('logins'),
        eb.fn.max<number>('last_active_at').as('last_active_at'),
      ])
      .where('day', '>=', fromDay)
      .where('day', '<', toDay)
      .$if(afterUserId !== null, (qb) => qb.where('user_id', '>', afterUserId!))
      .groupBy('user_id')
      .orderBy('user_id')
      .limit(limit)
      .execute();
    return rows.map((r) => ({
      userId: r.user_id,
      activeDays: Number(r.active_days),
      messagesSent: Number(r.messages_sent),
      logins: Number(r.logins),
      lastActiveAt: Number(r.last_active_at),
    }));
  }

  /** One user's activity on days in [fromDay, toDay), or null when none was recorded. */
  async userActivity(userId: string, fromDay: number, toDay: number): Promise<UserActivityRow | null> {
    const row = await this.db
      .selectFrom('stats_user_days')
      .select((eb) => [
        eb.fn.countAll<number>().as('active_days'),
        eb.fn.sum<number>('messages_sent').as('messages_sent'),
        eb.fn.sum<number>('logins').as('logins'),
        eb.fn.max<number>('last_active_at').as('last_active_at'),
      ])
      .where('user_id', '=', userId)
      .where('day', '>=', fromDay)
      .where('day', '<', toDay)
      .executeTakeFirst();
    if (!row || Number(row.active_days) === 0) return null;
    return {
      userId,
      activeDays: Number(row.active_days),
      messagesSent: Number(row.messages_sent),
      logins: Number(row.logins),
      lastActiveAt: Number(row.last_active_at),
    };
  }
}
