/**
 * One agent's part of a traffic run (types.ts TrafficPlan): its senders send on a fixed schedule
 * whatever the server answers (open model), its receivers pick the client id out of delivered
 * `message.created.v1` events with a regex (no JSON.parse: receivers' CPU counts on two cores) and
 * record message numbers in bitmaps the parent merges for loss and order.
 */
import { Bitmap } from './bitmap.ts';
import type { ConnPool } from './conn-pool.ts';
import { Histogram } from './histogram.ts';
import type { AgentTrafficPart, DeliveryWindow, TrafficPlan } from './types.ts';

interface Sender {
  slot: number;
  /** Global connection index (in the client id). */
  conn: number;
  op: string;
  /** Each template cut at `$CLIENT_ID`. */
  templates: string[][];
  intervalMs: number;
  nextDue: number;
  /** Message numbers of this connection, shared by its plan entries so client ids stay unique. */
  counter: { n: number };
}

const MESSAGE_UPDATED = '{"type":"event","event":"message.updated.v1"';
/** The span of a DeliveryWindow. */
export const WINDOW_SEC = 5;

interface InFlight {
  sender: Sender;
  n: number;
  sentAt: number;
}

interface Received {
  bits: Bitmap;
  highest: number;
}

/** Microseconds since the epoch, on the clock every process of the machine shares. */
export function epochMicros(): number {
  return Math.round((performance.timeOrigin + performance.now()) * 1000);
}

/** A binary min-heap of senders by due time: one timer serves any number of senders. */
class DueHeap {
  private readonly items: Sender[] = [];

  get size(): number {
    return this.items.length;
  }

  peek(): Sender | undefined {
    return this.items[0];
  }

  push(s: Sender): void {
    const a = this.items;
    a.push(s);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (a[p]!.nextDue <= s.nextDue) break;
      a[i] = a[p]!;
      i = p;
    }
    a[i] = s;
  }

  pop(): Sender | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length === 0 || last === undefined) return top;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= a.length) break;
      const c = l + 1 < a.length && a[l + 1]!.nextDue < a[l]!.nextDue ? l + 1 : l;
      if (a[c]!.nextDue >= last.nextDue) break;
      a[i] = a[c]!;
      i = c;
    }
    a[i] = last;
    return top;
  }
}

export class TrafficRun {
  private readonly heap = new DueHeap();
  private readonly inFlight = new Map<string, InFlight>();
  /** Sender conn -> receiver conns of this agent that expect its messages. */
  private readonly expected = new Map<number, Set<number>>();
  /** Receiver conn -> sender conn -> what arrived. */
  private readonly received = new Map<number, Map<number, Received>>();
  private readonly acked = new Map<number, Bitmap>();
  private readonly idPattern: RegExp;
  private readonly prefix: string;
  private readonly ackLatency = new Histogram();
  private readonly deliveryLatency = new Histogram();
  /** The same without each sender's first message (see AgentTrafficPart.warmDeliveryLatency). */
  private readonly warmDeliveryLatency = new Histogram();
  private readonly deliveryWindows: DeliveryWindow[] = [];
  /** The run's start on the clock of the client ids (epoch µs). */
  private startedAtMicros = 0;
  private readonly rejected: Record<string, number> = {};
  private sent = 0;
  private ackCount = 0;
  private delivered = 0;
  private outOfOrder = 0;
  private duplicates = 0;
  private timer: NodeJS.Timeout | undefined;
  private startedAt = 0;
  private stopAt = 0;
  private stoppedAt = 0;

  constructor(
    private readonly pool: ConnPool,
    private readonly plan: TrafficPlan,
    prefix: string,
    /** Global connection index -> slot, for the connections this agent holds. */
    private readonly slotOf: ReadonlyMap<number, number>,
  ) {
    if (!/^[A-Za-z0-9-]+$/.test(prefix)) throw new Error(`bad client id prefix ${prefix}`);
    this.idPattern = new RegExp(`"clientId":"${prefix}_(\\d+)_(\\d+)_(\\d+)"`);
    this.prefix = prefix;
    for (const s of plan.senders) {
      const mine = s.receivers.filter((r) => slotOf.has(r));
      if (mine.length > 0) this.expected.set(s.conn, new Set(mine));
    }
  }

  /** Send on schedule for durationSec, wait drainSec, and report. */
  async run(): Promise<AgentTrafficPart> {
    this.startedAt = performance.now();
    this.startedAtMicros = epochMicros();
    this.stopAt = this.startedAt + this.plan.durationSec * 1000;
    const counters = new Map<number, { n: number }>();
    for (const s of this.plan.senders) {
      const slot = this.slotOf.get(s.conn);
      if (slot === undefined || !(s.ratePerSec > 0)) continue;
      const intervalMs = 1000 / s.ratePerSec;
      // A fixed pseudo-random phase per sender, over its whole interval, spreads the sends evenly
      // (a phase capped at 1 s sent every sender of a 2.5 s interval within its first second, then
      // nothing for 1.5 s: bursts that a server then queued).
      const phase = (((s.conn * 2654435761) >>> 0) / 0x1_0000_0000) * intervalMs;
      this.heap.push({
        slot,
        conn: s.conn,
        op: s.op,
        templates: s.templates.map((t) => t.split('$CLIENT_ID')),
        intervalMs,
        nextDue: this.startedAt + phase,
        counter: counters.get(s.conn) ?? counters.set(s.conn, { n: 0 }).get(s.conn)!,
      });
    }
    await new Promise<void>((resolve) => this.schedule(resolve));
    this.stoppedAt = performance.now();
    await sleep((this.plan.drainSec ?? 10) * 1000);
    return this.part();
  }

  private schedule(done: () => void): void {
    const next = this.heap.peek();
    if (!next || next.nextDue >= this.stopAt) {
      const wait = this.stopAt - performance.now();
      if (wait <= 0) done();
      else this.timer = setTimeout(done, wait);
      return;
    }
    const wait = Math.max(0, next.nextDue - performance.now());
    this.timer = setTimeout(() => {
      const now = performance.now();
      for (let s = this.heap.peek(); s && s.nextDue <= now && s.nextDue < this.stopAt; s = this.heap.peek()) {
        this.heap.pop();
        this.send(s);
        s.nextDue += s.intervalMs;
        this.heap.push(s);
      }
      this.schedule(done);
    }, wait);
  }

  private send(s: Sender): void {
    const n = s.counter.n++;
    const clientId = `${this.prefix}_${s.conn}_${n}_${epochMicros()}`;
    // Senders start at different templates (by connection), so that a run shorter than one round
    // of a sender's templates still sends the whole mix, not only every sender's first kind.
    const body = s.templates[(n + s.conn) % s.templates.length]!.join(clientId);
    this.sent++;
    const id = this.pool.request(s.slot, s.op, body);
    if (id === null) {
      this.rejected.NOT_OPEN = (this.rejected.NOT_OPEN ?? 0) + 1;
      return;
    }
    this.inFlight.set(id, { sender: s, n, sentAt: performance.now() });
  }

  /** A `res` frame; true if it answered one of this run's sends. */
  response(id: string, ok: boolean, code: string | undefined): boolean {
    const req = this.inFlight.get(id);
    if (!req) return false;
    this.inFlight.delete(id);
    if (!ok) {
      const key = code ?? 'UNKNOWN';
      this.rejected[key] = (this.rejected[key] ?? 0) + 1;
      return true;
    }
    this.ackCount++;
    this.ackLatency.record(performance.now() - req.sentAt);
    let bits = this.acked.get(req.sender.conn);
    if (!bits) this.acked.set(req.sender.conn, (bits = new Bitmap()));
    bits.set(req.n);
    return true;
  }

  /**
   * An event on one of this agent's connections (global index `conn`). Any event carrying a client
   * id of this run counts (message.created.v1, or whatever other event a scenario delivers them in):
   * the run's prefix makes the match specific.
   */
  event(conn: number, text: string): void {
    // An edit or reaction repeats the client id of a message already counted.
    if (text.startsWith(MESSAGE_UPDATED)) return;
    const m = this.idPattern.exec(text);
    if (!m) return;
    const sender = Number(m[1]);
    if (this.expected.get(sender)?.has(conn) !== true) return;
    const sentAt = Number(m[3]);
    const ms = (epochMicros() - sentAt) / 1000;
    this.deliveryLatency.record(ms);
    const n = Number(m[2]);
    if (n > 0) this.warmDeliveryLatency.record(ms);
    const index = Math.max(0, Math.floor((sentAt - this.startedAtMicros) / (WINDOW_SEC * 1e6)));
    while (this.deliveryWindows.length <= index)
      this.deliveryWindows.push({ count: 0, over100Ms: 0, maxMs: 0 });
    const w = this.deliveryWindows[index]!;
    w.count++;
    if (ms > 100) w.over100Ms++;
    if (ms > w.maxMs) w.maxMs = ms;
    let bySender = this.received.get(conn);
    if (!bySender) this.received.set(conn, (bySender = new Map()));
    let rec = bySender.get(sender);
    if (!rec) bySender.set(sender, (rec = { bits: new Bitmap(), highest: -1 }));
    if (!rec.bits.set(n)) {
      this.duplicates++;
      return;
    }
    this.delivered++;
    if (n < rec.highest) this.outOfOrder++;
    else rec.highest = n;
  }

  stop(): void {
    clearTimeout(this.timer);
  }

  private part(): AgentTrafficPart {
    const ackedBySender: Record<number, string> = {};
    for (const [s, bits] of this.acked) ackedBySender[s] = bits.toBase64();
    const receivedBy: Record<number, Record<number, string>> = {};
    for (const [r, bySender] of this.received) {
      const out: Record<number, string> = {};
      for (const [s, rec] of bySender) out[s] = rec.bits.toBase64();
      receivedBy[r] = out;
    }
    return {
      sent: this.sent,
      acked: this.ackCount,
      rejected: this.rejected,
      ackedBySender,
      receivedBy,
      outOfOrder: this.outOfOrder,
      duplicates: this.duplicates,
      delivered: this.delivered,
      ackLatency: this.ackLatency.toData(),
      deliveryLatency: this.deliveryLatency.toData(),
      warmDeliveryLatency: this.warmDeliveryLatency.toData(),
      deliveryWindows: this.deliveryWindows,
      sendWindowSec: (this.stoppedAt - this.startedAt) / 1000,
    };
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
