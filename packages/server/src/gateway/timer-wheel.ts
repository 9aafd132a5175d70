/**
 * A hashed timer wheel for very many one-shot deadlines of coarse precision: the heartbeats and
 * auth timeouts of every connection of a gateway. One interval per wheel replaces a setInterval
 * and a setTimeout per connection (two Timeout objects, their heap numbers and a closure each,
 * about 450 bytes, and a timer-list insert per reschedule). Entries are linked through fields of
 * their own (an intrusive list), so scheduling allocates nothing and cancelling is O(1).
 */

/** The fields the wheel keeps on an entry; start them as `null, null, -1`. */
export interface WheelEntry {
  wheelPrev: WheelEntry | null;
  wheelNext: WheelEntry | null;
  /** The tick the entry is due at; -1 while not scheduled (-2: due, its callback pending). */
  wheelDue: number;
}

export interface WheelOptions<T extends WheelEntry> {
  /** Milliseconds per tick: the precision of every deadline. */
  tickMs: number;
  /** Slots of the ring; deadlines further than slots x tickMs ahead wait extra turns. */
  slots: number;
  /** An entry is due (it is no longer scheduled; the callback may schedule it again). */
  onDue(entry: T): void;
}

export class TimerWheel<T extends WheelEntry> {
  private readonly heads: Array<WheelEntry | null>;
  private current = 0;
  private count = 0;
  private timer: NodeJS.Timeout | undefined;
  /** The entries of the tick being run, reused from tick to tick. */
  private readonly due: T[] = [];

  constructor(private readonly opts: WheelOptions<T>) {
    this.heads = new Array<WheelEntry | null>(opts.slots).fill(null);
  }

  /** Ticks elapsed since the wheel was made. */
  get tick(): number {
    return this.current;
  }

  /** Scheduled entries. */
  get size(): number {
    return this.count;
  }

  /** Whole ticks in `ms`, rounded up (at least one). */
  ticksIn(ms: number): number {
    return Math.max(1, Math.ceil(ms / this.opts.tickMs));
  }

  /** Make `entry` due `ticks` ticks from now (moving it if it was scheduled). */
  schedule(entry: T, ticks: number): void {
    if (entry.wheelDue >= 0) {
      this.unlink(entry);
      this.count--;
    }
    entry.wheelDue = this.current + Math.max(1, Math.floor(ticks));
    this.link(entry);
    this.count++;
    // Ticking only while something is scheduled: an idle gateway wakes no one.
    if (!this.timer) {
      this.timer = setInterval(() => this.advance(), this.opts.tickMs);
      this.timer.unref();
    }
  }

  /** Unschedule; an entry due in the tick being run is not called either. */
  cancel(entry: T): void {
    const linked = entry.wheelDue >= 0;
    if (linked) this.unlink(entry);
    entry.wheelDue = -1;
    if (linked && --this.count === 0) this.stop();
  }

  /** One tick: run the entries of the next slot that are due now (others wait for their turn). */
  advance(): void {
    this.current++;
    const slot = this.current % this.heads.length;
    // Collected first, the lists consistent: a callback may cancel or reschedule any entry,
    // one due in this same tick included (then it is not called).
    for (let entry = this.heads[slot] ?? null; entry;) {
      const next: WheelEntry | null = entry.wheelNext;
      if (entry.wheelDue <= this.current) {
        this.unlink(entry);
        this.count--;
        entry.wheelDue = -2;
        this.due.push(entry as T);
      }
      entry = next;
    }
    let failure: unknown;
    for (const entry of this.due) {
      if (entry.wheelDue !== -2) continue;
      entry.wheelDue = -1;
      try {
        this.opts.onDue(entry);
      } catch (err) {
        // The other entries of the tick still run; the first error surfaces after them.
        failure ??= err;
      }
    }
    this.due.length = 0;
    if (this.count === 0) this.stop();
    if (failure !== undefined) throw failure;
  }

  /** Stop ticking (entries stay; scheduling starts the interval again). */
  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private link(entry: WheelEntry): void {
    const slot = entry.wheelDue % this.heads.length;
    const head = this.heads[slot] ?? null;
    entry.wheelPrev = null;
    entry.wheelNext = head;
    if (head) head.wheelPrev = entry;
    this.heads[slot] = entry;
  }

  private unlink(entry: WheelEntry): void {
    if (entry.wheelPrev) entry.wheelPrev.wheelNext = entry.wheelNext;
    else this.heads[entry.wheelDue % this.heads.length] = entry.wheelNext;
    if (entry.wheelNext) entry.wheelNext.wheelPrev = entry.wheelPrev;
    entry.wheelPrev = entry.wheelNext = null;
  }
}
