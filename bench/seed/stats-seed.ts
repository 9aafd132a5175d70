import type { Kysely } from 'kysely';
import type { DB, Dialect } from '../../packages/server/src/platform/db/index.ts';
import { DAY_MS, HOUR_MS, StatsCalendar } from '../../packages/server/src/modules/stats/stats.calendar.ts';
import { StatsRecorder } from '../../packages/server/src/modules/stats/stats.recorder.ts';
import { StatsRepo } from '../../packages/server/src/modules/stats/stats.repo.ts';

export interface StatsSeedOptions {
  users: number;
  messages: number;
  /** Days of history ending with `end`'s day. */
  days: number;
  end: number;
  timeZone: string;
  groups?: number;
  /** Told after every simulated day. */
  progress?: (day: number, days: number) => void;
}

export interface StatsSeedSummary {
  users: number;
  messages: number;
  directMessages: number;
  groupMessages: number;
  logins: number;
  newUsers: number;
  newGroups: number;
  meetings: number;
  /** Rows in the rollup tables afterwards. */
  userDayRows: number;
  groupDayRows: number;
  seedMs: number;
}

/** A small, fast, deterministic PRNG (mulberry32): the same workload on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

// Share of a day's messages per local hour: office hours, a lunch dip, some evening traffic.
const HOUR_WEIGHTS = [0, 0, 0, 0, 0, 0, 1, 2, 5, 9, 10, 9, 5, 6, 9, 10, 9, 8, 5, 4, 4, 3, 2, 1];
const HOUR_TOTAL = HOUR_WEIGHTS.reduce((a, b) => a + b, 0);

function pickHour(r: number): number {
  let x = r * HOUR_TOTAL;
  for (let h = 0; h < 24; h++) {
    x -= HOUR_WEIGHTS[h]!;
    if (x < 0) return h;
  }
  return 23;
}

/**
 * Fill the statistics rollups with `days` of an organisation's usage by driving the real rollup code
 * (StatsRecorder → StatsRepo, the same upserts the running server makes), one flush per simulated day:
 * registrations (70% of users before the window, the rest spread over it), daily logins of active
 * users (55% on weekdays, 20% at weekends), `messages` messages from active users (60% 1:1 with one
 * of 40 colleagues, 40% in one of 3 of the user's groups), office-hour peaks, and meetings. The
 * messages table itself is not filled: no statistics query reads it.
 */
export async function seedStats(
  db: Kysely<DB>,
  dialect: Dialect,
  o: StatsSeedOptions,
): Promise<StatsSeedSummary> {
  const started = performance.now();
  const calendar = new StatsCalendar(o.timeZone);
  const repo = new StatsRepo(db, dialect);
  const recorder = new StatsRecorder(repo, calendar);
  recorder.useKinds(async (id) => (id.startsWith('g') ? 'group' : 'direct'));
  const random = prng(8);
  const groups = o.groups ?? Math.max(1, Math.round(o.users / 17));
  const userId = (i: number) => `u${String(i).padStart(7, '0')}`;
  const firstDay = calendar.plusDays(calendar.dayStart(o.end), -(o.days - 1));
  const preexisting = Math.round(o.users * 0.7);
  const joinDay = (i: number) =>
    i < preexisting ? -1 : Math.floor(((i - preexisting) / (o.users - preexisting)) * o.days);
  const dayWeight = (day: number) => {
    const weekday = new Date(day + DAY_MS / 2).getUTCDay();
    return weekday === 0 || weekday === 6 ? 0.3 : 1;
  };
  const weights = Array.from({ length: o.days }, (_, d) => dayWeight(calendar.plusDays(firstDay, d)));
  const weightSum = weights.reduce((a, b) => a + b, 0);
  const summary = { directMessages: 0, groupMessages: 0, logins: 0, newUsers: 0, newGroups: 0, meetings: 0 };
  // 80% of the groups exist before the window; the rest are created during it.
  const groupsBefore = Math.round(groups * 0.8);
  let groupsSoFar = groupsBefore;
  let remaining = o.messages;

  for (let d = 0; d < o.days; d++) {
    const day = calendar.plusDays(firstDay, d);
    // Nothing after `end`: the last day's events are squeezed into the part of it that has passed.
    const span = Math.min(DAY_MS, o.end + 1 - day);
    const at = (hour: number) => day + Math.floor(((hour + random()) / 24) * span);
    const groupsNow = groupsBefore + Math.floor(((groups - groupsBefore) * (d + 1)) / o.days);
    for (let g = groupsSoFar; g < groupsNow; g++) {
      recorder.conversationCreated(`g${g}`, at(pickHour(random())));
      summary.newGroups++;
    }
    groupsSoFar = groupsNow;
    const share = d === o.days - 1 ? remaining : Math.round((o.messages * weights[d]!) / weightSum);
    remaining -= share;
    const activeShare = weights[d] === 1 ? 0.55 : 0.2;
    const active: number[] = [];
    for (let i = 0; i < o.users; i++) {
      const joined = joinDay(i);
      if (joined > d) continue;
      if (joined === d) {
        recorder.userCreated(at(pickHour(random())));
        summary.newUsers++;
      }
      if (joined === d || random() < activeShare) {
        active.push(i);
        recorder.login(userId(i), at(pickHour(random())));
        summary.logins++;
      }
    }
    for (let m = 0; m < share && active.length > 0; m++) {
      const sender = active[Math.floor(random() * active.length)]!;
      const t = at(pickHour(random()));
      if (random() < 0.6) {
        const peer = (sender + 1 + Math.floor(random() * 40)) % o.users;
        const [a, b] = sender < peer ? [sender, peer] : [peer, sender];
        recorder.messageSent(userId(sender), `d${a}-${b}`, t);
        summary.directMessages++;
      } else {
        // Each user writes in 3 neighbouring groups from a hashed start (no stride sharing factors with the count).
        const group = ((Math.imul(sender, 2_654_435_761) >>> 0) + Math.floor(random() * 3)) % groupsSoFar;
        recorder.messageSent(userId(sender), `g${group}`, t);
        summary.groupMessages++;
      }
    }
    for (let h = 0; h < 24; h++) {
      const online = Math.round((active.length * 0.6 * HOUR_WEIGHTS[h]!) / 10);
      if (day + h * HOUR_MS <= o.end)
        recorder.onlineSample(online, Math.round(online * 1.4), day + h * HOUR_MS);
    }
    const meetings = Math.round(40 * weights[d]!);
    for (let k = 0; k < meetings; k++) {
      recorder.meeting(
        at(9 + Math.floor(random() * 9)),
        3 + Math.floor(random() * 28),
        900 + Math.floor(random() * 4500),
      );
      summary.meetings++;
    }
    await recorder.flush();
    o.progress?.(d + 1, o.days);
  }
  const count = async (table: 'stats_user_days' | 'stats_group_days') =>
    Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirst()
      )?.n ?? 0,
    );
  return {
    users: o.users,
    messages: o.messages,
    ...summary,
    userDayRows: await count('stats_user_days'),
    groupDayRows: await count('stats_group_days'),
    seedMs: Math.round(performance.now() - started),
  };
}
