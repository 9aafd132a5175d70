import type { ConversationKind } from '@zhixin/protocol';
import { HOUR_MS, type StatsCalendar } from './stats.calendar.ts';
import type { GroupDayDelta, HourCounts, StatsRepo, UserDayDelta } from './stats.repo.ts';

/** Tells the kind of a conversation (the conversations module answers; kinds never change). */
export type KindOf = (conversationId: string) => Promise<ConversationKind | null>;

export function zeroCounts(): HourCounts {
  return {
    newUsers: 0,
    logins: 0,
    newGroups: 0,
    directMessages: 0,
    groupMessages: 0,
    meetings: 0,
    meetingParticipants: 0,
    meetingSeconds: 0,
    peakOnlineUsers: 0,
    peakOnlineConnections: 0,
  };
}

/** What one flush writes; taken out of the recorder whole, so events keep arriving meanwhile. */
interface Pending {
  hours: Map<number, HourCounts>;
  userDays: Map<string, UserDayDelta>;
  /** Messages per conversation and hour: whether they are 1:1 or group is resolved at flush. */
  conversationHours: Map<string, { conversationId: string; hour: number; messages: number }>;
  /** Conversations created (direct or group: resolved at flush), with when. */
  created: Array<{ conversationId: string; at: number }>;
}

function emptyPending(): Pending {
  return { hours: new Map(), userDays: new Map(), conversationHours: new Map(), created: [] };
}

const KIND_CACHE_LIMIT = 200_000;

/**
 * Counts events in memory and adds them to the rollups every flush (and on close). Recording is a
 * few map updates, so it never slows a send; a crash loses at most one flush interval of counts.
 */
export class StatsRecorder {
  private pending = emptyPending();
  private readonly kinds = new Map<string, ConversationKind>();
  private flushing: Promise<void> | null = null;
  private kindOf: KindOf = async () => null;

  constructor(
    private readonly repo: StatsRepo,
    private readonly calendar: StatsCalendar,
  ) {}

  /** Where kinds of conversations come from (set once the conversations module exists). */
  useKinds(kindOf: KindOf): void {
    this.kindOf = kindOf;
  }

  userCreated(at: number): void {
    this.hour(at).newUsers++;
  }

  /** A login or registration (a new session). */
  login(userId: string, at: number): void {
    this.hour(at).logins++;
    this.userDay(userId, at).logins++;
  }

  /** Any sign of use: a session refreshed, a connection authenticated. */
  active(userId: string, at: number): void {
    this.userDay(userId, at);
  }

  messageSent(senderId: string, conversationId: string, at: number): void {
    const day = this.userDay(senderId, at);
    day.messagesSent++;
    day.sentHours |= this.hourBit(at);
    const hour = at - (at % HOUR_MS);
    const key = `${conversationId}\0${hour}`;
    const entry = this.pending.conversationHours.get(key);
    if (entry) entry.messages++;
    else this.pending.conversationHours.set(key, { conversationId, hour, messages: 1 });
  }

  conversationCreated(conversationId: string, at: number): void {
    this.pending.created.push({ conversationId, at });
  }

  meeting(startedAt: number, participants: number, seconds: number): void {
    const h = this.hour(startedAt);
    h.meetings++;
    h.meetingParticipants += participants;
    h.meetingSeconds += seconds;
  }

  /** A sample of who is online (cluster-wide); each hour keeps its highest. */
  onlineSample(users: number, connections: number, at: number): void {
    const h = this.hour(at);
    h.peakOnlineUsers = Math.max(h.peakOnlineUsers, users);
    h.peakOnlineConnections = Math.max(h.peakOnlineConnections, connections);
  }

  /** Write everything counted so far. Flushes never overlap; on failure the counts stay for the next. */
  flush(): Promise<void> {
    const run = (this.flushing ?? Promise.resolve()).catch(() => undefined).then(() => this.flushOnce());
    this.flushing = run;
    return run;
  }

  private async flushOnce(): Promise<void> {
    const batch = this.pending;
    const empty =
      batch.hours.size === 0 &&
      batch.userDays.size === 0 &&
      batch.conversationHours.size === 0 &&
      batch.created.length === 0;
    if (empty) return;
    this.pending = emptyPending();
    try {
      const groupDays = await this.resolveKinds(batch);
      await this.repo.addAll(batch.hours, [...batch.userDays.values()], [...groupDays.values()]);
    } catch (err) {
      this.restore(batch);
      throw err;
    }
  }

  /** Sort messages into 1:1 and group, count new groups, and gather the active groups' days. */
  private async resolveKinds(batch: Pending): Promise<Map<string, GroupDayDelta>> {
    const ids = new Set([
      ...[...batch.conversationHours.values()].map((e) => e.conversationId),
      ...batch.created.map((c) => c.conversationId),
    ]);
    for (const id of ids) {
      if (this.kinds.has(id)) continue;
      const kind = await this.kindOf(id);
      if (!kind) continue;
      if (this.kinds.size >= KIND_CACHE_LIMIT) this.kinds.clear();
      this.kinds.set(id, kind);
    }
    const groupDays = new Map<string, GroupDayDelta>();
    for (const { conversationId, hour, messages } of batch.conversationHours.values()) {
      const kind = this.kinds.get(conversationId);
      const counts = hourIn(batch, hour);
      if (kind === 'direct') counts.directMessages += messages;
      else if (kind === 'group') {
        counts.groupMessages += messages;
        const day = this.calendar.dayStart(hour);
        const key = `${day}\0${conversationId}`;
        const entry = groupDays.get(key) ?? { day, conversationId, messages: 0, activeHours: 0 };
        entry.messages += messages;
        entry.activeHours |= 2 ** Math.floor((hour - day) / HOUR_MS);
        groupDays.set(key, entry);
      }
    }
    for (const { conversationId, at } of batch.created)
      if (this.kinds.get(conversationId) === 'group') hourIn(batch, at).newGroups++;
    return groupDays;
  }

  /** Put a failed flush's counts back in front of what arrived meanwhile. */
  private restore(batch: Pending): void {
    const now = this.pending;
    this.pending = batch;
    for (const [hour, c] of now.hours) {
      const h = hourIn(batch, hour);
      for (const key of Object.keys(c) as Array<keyof HourCounts>) {
        if (key === 'peakOnlineUsers' || key === 'peakOnlineConnections') h[key] = Math.max(h[key], c[key]);
        else h[key] += c[key];
      }
    }
    for (const [key, d] of now.userDays) {
      const into = batch.userDays.get(key);
      if (!into) batch.userDays.set(key, d);
      else {
        into.activeHours |= d.activeHours;
        into.sentHours |= d.sentHours;
        into.messagesSent += d.messagesSent;
        into.logins += d.logins;
        into.lastActiveAt = Math.max(into.lastActiveAt, d.lastActiveAt);
      }
    }
    for (const [key, e] of now.conversationHours) {
      const into = batch.conversationHours.get(key);
      if (into) into.messages += e.messages;
      else batch.conversationHours.set(key, e);
    }
    batch.created.push(...now.created);
  }

  private hour(at: number): HourCounts {
    return hourIn(this.pending, at);
  }

  private hourBit(at: number): number {
    return 2 ** Math.floor((at - this.calendar.dayStart(at)) / HOUR_MS);
  }

  private userDay(userId: string, at: number): UserDayDelta {
    const day = this.calendar.dayStart(at);
    const key = `${day}\0${userId}`;
    let entry = this.pending.userDays.get(key);
    if (!entry) {
      entry = { day, userId, activeHours: 0, sentHours: 0, messagesSent: 0, logins: 0, lastActiveAt: at };
      this.pending.userDays.set(key, entry);
    }
    entry.activeHours |= this.hourBit(at);
    entry.lastActiveAt = Math.max(entry.lastActiveAt, at);
    return entry;
  }
}

function hourIn(batch: Pending, at: number): HourCounts {
  const bucket = at - (at % HOUR_MS);
  let counts = batch.hours.get(bucket);
  if (!counts) {
    counts = zeroCounts();
    batch.hours.set(bucket, counts);
  }
  return counts;
}
