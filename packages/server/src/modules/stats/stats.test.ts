import type { StatsGranularity, StatsMetric, StatsOverview } from '@zhixin/protocol';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { App } from '../../app.ts';
import { buildTestApp, testDialects } from '../../testing/app.ts';
import {
  callOp,
  errorOf,
  mustCall,
  registerUser,
  staffUser,
  type TestUser,
} from '../../testing/factories.ts';
import type { ActiveUser } from './index.ts';

/** An instant from a wall time in Asia/Shanghai (the default `stats.timeZone`). */
const at = (local: string) => Date.parse(`${local}:00+08:00`);

const ALL: StatsMetric[] = [
  'newUsers',
  'activeUsers',
  'logins',
  'newGroups',
  'activeGroups',
  'directMessages',
  'groupMessages',
  'senders',
  'meetings',
  'meetingParticipants',
  'meetingSeconds',
];

describe.each(testDialects())('usage statistics from a known workload (%s)', (dialect) => {
  let app: App;
  let operator: TestUser;
  const u: TestUser[] = [];
  let seq = 0;
  let overviewOnMarch9: StatsOverview;

  const caller = (user: TestUser) => ({ userId: user.userId, sessionId: user.sessionId });
  async function send(from: TestUser, conversationId: string, when: string, count = 1): Promise<void> {
    vi.setSystemTime(at(when));
    for (let i = 0; i < count; i++)
      await app.services.messages.send(caller(from), {
        conversationId,
        clientId: `stats-${++seq}`,
        content: { kind: 'text', text: `消息 ${seq}` },
      });
  }

  async function series(metrics: StatsMetric[], from: string, to: string, granularity: StatsGranularity) {
    const res = await mustCall(
      app,
      'stats.series',
      { metrics: metrics.join(','), from: at(from), to: at(to), granularity },
      operator.accessToken,
    );
    const out: Record<string, Record<string, number>> = {};
    for (const line of res.lines) {
      const nonZero: Record<string, number> = {};
      line.values.forEach((v, i) => {
        if (v !== 0) nonZero[new Date(res.buckets[i]!).toISOString()] = v;
      });
      out[line.metric] = nonZero;
    }
    return { buckets: res.buckets, lines: out };
  }
  const iso = (local: string) => new Date(at(local)).toISOString();

  beforeAll(async () => {
    app = await buildTestApp({
      dialect,
      config: {
        opsAccount: { enabled: false },
        stats: { flushIntervalMs: 600_000, onlineIntervalMs: 60_000 },
      },
    });
    vi.useFakeTimers({ toFake: ['Date'] });
    // Monday 2 March 2026: four users register at 01:10, u1 creates a group (u1-u3) and a 1:1 with u2.
    vi.setSystemTime(at('2026-03-02T01:10'));
    for (let i = 0; i < 4; i++) u.push(await registerUser(app));
    vi.setSystemTime(at('2026-03-02T02:10'));
    const g1 = await app.services.conversations.createGroup(caller(u[0]!), '项目组', [
      u[1]!.userId,
      u[2]!.userId,
    ]);
    vi.setSystemTime(at('2026-03-02T02:20'));
    const d12 = await app.services.conversations.openDirect(caller(u[0]!), u[1]!.userId);
    await send(u[0]!, d12.id, '2026-03-02T03:05', 2);
    await send(u[1]!, d12.id, '2026-03-02T03:06');
    await send(u[0]!, g1.id, '2026-03-02T03:30', 3);
    await send(u[2]!, g1.id, '2026-03-02T05:00');
    await app.services.stats.flush();
    // Tuesday: u5 registers at 10:00, u2 writes twice in the group at 10:30.
    vi.setSystemTime(at('2026-03-03T10:00'));
    u.push(await registerUser(app));
    await send(u[1]!, g1.id, '2026-03-03T10:30', 2);
    // Monday 9 March (the next week): u4 creates a group with u1 and writes in it; u1 writes to u2.
    vi.setSystemTime(at('2026-03-09T09:00'));
    const g2 = await app.services.conversations.createGroup(caller(u[3]!), '第二组', [u[0]!.userId]);
    await send(u[3]!, g2.id, '2026-03-09T09:05');
    await send(u[0]!, d12.id, '2026-03-09T09:10');
    // The overview as an operator would have seen it that evening.
    await app.services.stats.flush();
    vi.setSystemTime(at('2026-03-09T18:00'));
    overviewOnMarch9 = await app.services.stats.overview();
    // Wednesday 1 April (the next month): u3 writes in the first group; a meeting of 5 for 30 minutes.
    await send(u[2]!, g1.id, '2026-04-01T12:00');
    app.services.stats.recordMeeting({
      startedAt: at('2026-04-01T12:10'),
      endedAt: at('2026-04-01T12:40'),
      participants: 5,
    });
    await app.services.stats.flush();
    vi.useRealTimers();
    operator = await staffUser(app, 'operator');
  });

  afterAll(async () => {
    vi.useRealTimers();
    await app?.close();
  });

  it('counts every metric by hour', async () => {
    const { lines } = await series(ALL, '2026-03-02T00:00', '2026-03-04T00:00', 'hour');
    const h = (local: string, v: number) => [iso(local), v] as const;
    expect(lines.newUsers).toEqual(Object.fromEntries([h('2026-03-02T01:00', 4), h('2026-03-03T10:00', 1)]));
    expect(lines.logins).toEqual(lines.newUsers);
    expect(lines.newGroups).toEqual(Object.fromEntries([h('2026-03-02T02:00', 1)]));
    expect(lines.directMessages).toEqual(Object.fromEntries([h('2026-03-02T03:00', 3)]));
    expect(lines.groupMessages).toEqual(
      Object.fromEntries([h('2026-03-02T03:00', 3), h('2026-03-02T05:00', 1), h('2026-03-03T10:00', 2)]),
    );
    expect(lines.senders).toEqual(
      Object.fromEntries([h('2026-03-02T03:00', 2), h('2026-03-02T05:00', 1), h('2026-03-03T10:00', 1)]),
    );
    expect(lines.activeUsers).toEqual(
      Object.fromEntries([
        h('2026-03-02T01:00', 4),
        h('2026-03-02T03:00', 2),
        h('2026-03-02T05:00', 1),
        h('2026-03-03T10:00', 2),
      ]),
    );
    expect(lines.activeGroups).toEqual(
      Object.fromEntries([h('2026-03-02T03:00', 1), h('2026-03-02T05:00', 1), h('2026-03-03T10:00', 1)]),
    );
    expect(lines.meetings).toEqual({});
  });

  it('counts every metric by day, in the configured time zone', async () => {
    const { buckets, lines } = await series(ALL, '2026-03-02T00:00', '2026-04-02T00:00', 'day');
    expect(buckets).toHaveLength(31);
    expect(buckets[0]).toBe(at('2026-03-02T00:00'));
    const d = (local: string, v: number) => [iso(`${local}T00:00`), v] as const;
    expect(lines.newUsers).toEqual(Object.fromEntries([d('2026-03-02', 4), d('2026-03-03', 1)]));
    expect(lines.newGroups).toEqual(Object.fromEntries([d('2026-03-02', 1), d('2026-03-09', 1)]));
    expect(lines.directMessages).toEqual(Object.fromEntries([d('2026-03-02', 3), d('2026-03-09', 1)]));
    expect(lines.groupMessages).toEqual(
      Object.fromEntries([d('2026-03-02', 4), d('2026-03-03', 2), d('2026-03-09', 1), d('2026-04-01', 1)]),
    );
    expect(lines.senders).toEqual(
      Object.fromEntries([d('2026-03-02', 3), d('2026-03-03', 1), d('2026-03-09', 2), d('2026-04-01', 1)]),
    );
    expect(lines.activeUsers).toEqual(
      Object.fromEntries([d('2026-03-02', 4), d('2026-03-03', 2), d('2026-03-09', 2), d('2026-04-01', 1)]),
    );
    expect(lines.activeGroups).toEqual(
      Object.fromEntries([d('2026-03-02', 1), d('2026-03-03', 1), d('2026-03-09', 1), d('2026-04-01', 1)]),
    );
    expect(lines.meetings).toEqual(Object.fromEntries([d('2026-04-01', 1)]));
    expect(lines.meetingParticipants).toEqual(Object.fromEntries([d('2026-04-01', 5)]));
    expect(lines.meetingSeconds).toEqual(Object.fromEntries([d('2026-04-01', 1800)]));
  });

  it('counts weeks from Monday and months, with distinct users per period (WAU, MAU)', async () => {
    const weeks = await series(ALL, '2026-03-02T00:00', '2026-04-06T00:00', 'week');
    const w = (local: string, v: number) => [iso(`${local}T00:00`), v] as const;
    expect(weeks.buckets.map((b) => new Date(b).toISOString())).toEqual(
      ['2026-03-02', '2026-03-09', '2026-03-16', '2026-03-23', '2026-03-30'].map((x) => iso(`${x}T00:00`)),
    );
    expect(weeks.lines.activeUsers).toEqual(
      Object.fromEntries([w('2026-03-02', 5), w('2026-03-09', 2), w('2026-03-30', 1)]),
    );
    expect(weeks.lines.senders).toEqual(
      Object.fromEntries([w('2026-03-02', 3), w('2026-03-09', 2), w('2026-03-30', 1)]),
    );
    expect(weeks.lines.activeGroups).toEqual(
      Object.fromEntries([w('2026-03-02', 1), w('2026-03-09', 1), w('2026-03-30', 1)]),
    );
    expect(weeks.lines.groupMessages).toEqual(
      Object.fromEntries([w('2026-03-02', 6), w('2026-03-09', 1), w('2026-03-30', 1)]),
    );

    // A range inside March still reports whole months (the buckets containing it).
    const months = await series(ALL, '2026-03-10T00:00', '2026-04-02T00:00', 'month');
    const m = (local: string, v: number) => [iso(`${local}T00:00`), v] as const;
    expect(months.buckets).toEqual([at('2026-03-01T00:00'), at('2026-04-01T00:00')]);
    expect(months.lines.activeUsers).toEqual(Object.fromEntries([m('2026-03-01', 5), m('2026-04-01', 1)]));
    expect(months.lines.senders).toEqual(Object.fromEntries([m('2026-03-01', 4), m('2026-04-01', 1)]));
    expect(months.lines.activeGroups).toEqual(Object.fromEntries([m('2026-03-01', 2), m('2026-04-01', 1)]));
    expect(months.lines.newUsers).toEqual(Object.fromEntries([m('2026-03-01', 5)]));
    expect(months.lines.directMessages).toEqual(Object.fromEntries([m('2026-03-01', 4)]));
    expect(months.lines.groupMessages).toEqual(Object.fromEntries([m('2026-03-01', 7), m('2026-04-01', 1)]));
    expect(months.lines.newGroups).toEqual(Object.fromEntries([m('2026-03-01', 2)]));

    // Closed periods are remembered: asking again gives the same figures.
    const again = await series(ALL, '2026-03-10T00:00', '2026-04-02T00:00', 'month');
    expect(again).toEqual(months);
  });

  it('reports DAU, WAU and MAU and today in the overview', async () => {
    const o = overviewOnMarch9;
    expect(o.timeZone).toBe('Asia/Shanghai');
    expect(o.today).toMatchObject({
      from: at('2026-03-09T00:00'),
      newGroups: 1,
      directMessages: 1,
      groupMessages: 1,
    });
    expect(o.dau).toBe(2);
    expect(o.yesterday.activeUsers).toBe(0);
    // 3 to 9 March: u2 (the 3rd), u1 and u4 (the 9th), u5 (registered the 3rd).
    expect(o.wau).toBe(4);
    expect(o.last7Days).toMatchObject({ newUsers: 1, groupMessages: 3, directMessages: 1, senders: 3 });
    expect(o.mau).toBe(5);
  });

  it("streams active users in id order with each one's days and messages", async () => {
    const rows: ActiveUser[] = [];
    for await (const row of app.services.stats.activeUsers({
      from: at('2026-03-01T00:00'),
      to: at('2026-04-01T00:00'),
    }))
      rows.push(row);
    const ids = [...u.map((x) => x.userId)].sort();
    expect(rows.map((r) => r.userId)).toEqual(ids);
    const of = (user: TestUser) => rows.find((r) => r.userId === user.userId)!;
    expect(of(u[0]!)).toMatchObject({ activeDays: 2, messagesSent: 6, lastActiveAt: at('2026-03-09T09:10') });
    expect(of(u[2]!)).toMatchObject({ activeDays: 1, messagesSent: 1 });
    const one = await mustCall(app, 'stats.userActivity', { userId: u[2]!.userId }, operator.accessToken);
    expect(one).toEqual({
      userId: u[2]!.userId,
      activeDays: 2,
      messagesSent: 2,
      logins: 1,
      lastActiveAt: at('2026-04-01T12:00'),
    });
  });

  it('refuses bad ranges with VALIDATION_FAILED', async () => {
    const base = { metrics: 'newUsers', granularity: 'day' };
    const bad = [
      { ...base, from: at('2026-03-02T00:00'), to: at('2026-03-02T00:00') },
      { ...base, from: at('2026-03-02T00:00'), to: at('2026-03-01T00:00') },
      { ...base, from: at('2020-01-01T00:00'), to: at('2026-01-01T00:00') },
      { ...base, granularity: 'hour', from: at('2025-01-01T00:00'), to: at('2026-01-01T00:00') },
      { ...base, metrics: 'newUsers,everything', from: 0, to: 1000 },
      { ...base, granularity: 'year', from: 0, to: 1000 },
    ];
    for (const query of bad)
      expect(errorOf(await callOp(app, 'stats.series', query, operator.accessToken))).toEqual({
        status: 400,
        code: 'VALIDATION_FAILED',
      });
    expect(() => app.services.stats.recordMeeting({ startedAt: 10, endedAt: 5, participants: 2 })).toThrow();
  });

  it('lets operators and administrators read statistics, not users or auditors', async () => {
    const user = await registerUser(app);
    const auditor = await staffUser(app, 'auditor');
    for (const token of [user.accessToken, auditor.accessToken]) {
      expect(errorOf(await callOp(app, 'stats.overview', {}, token))).toEqual({
        status: 403,
        code: 'FORBIDDEN',
      });
      expect(errorOf(await callOp(app, 'stats.online', {}, token)).status).toBe(403);
      const q = { metrics: 'newUsers', from: 0, to: 1000, granularity: 'day' };
      expect(errorOf(await callOp(app, 'stats.series', q, token)).status).toBe(403);
    }
    expect(errorOf(await callOp(app, 'stats.overview', {})).status).toBe(401);
    const overview = await mustCall(app, 'stats.overview', {}, operator.accessToken);
    expect(overview.online.nodes).toHaveLength(1);
  });
});
