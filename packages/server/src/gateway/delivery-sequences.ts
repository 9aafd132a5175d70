/**
 * Sequence numbers on the deliveries between nodes, so a node that lost some (core NATS is
 * at-most-once: a broker outage, a slow-consumer cut) learns which, and tells only the users they
 * were for to catch up, instead of every device it holds (600,000 `conversations.list` calls after
 * a NATS restart).
 *
 * Every node numbers its deliveries to each other node 1, 2, 3... (one counter per target) and its
 * frames for everyone (one counter), and keeps the recipients of its recent deliveries a while.
 * A receiver notes the last number it got from each sender; a later number, or a sender's count
 * that is higher (its heartbeat, or its answer after this node rejoined), is a gap: the receiver
 * asks the sender whom the missing deliveries were for.
 */

/** How long a sender keeps the recipients of a delivery, for a receiver that lost it. */
export const KEEP_RECIPIENTS_MS = 120_000;
/** At most this many recipients kept per target: bounds memory (pointers to strings held anyway). */
export const KEEP_RECIPIENTS_PER_TARGET = 65_536;
/** A lost range whose recipients are more than this is answered "all": a spread catch-up of all. */
export const MAX_LOST_RECIPIENTS = 10_000;

/** The recent deliveries to one node: numbers `first`, `first + 1`, ... with their recipients. */
class SentRing {
  next = 1;
  /** Number of the delivery at `head`. */
  first = 1;
  private head = 0;
  private readonly recipients: (readonly string[])[] = [];
  private readonly at: number[] = [];
  private held = 0;

  add(recipients: readonly string[], now: number): number {
    this.recipients.push(recipients);
    this.at.push(now);
    this.held += recipients.length;
    this.trim(now);
    return this.next++;
  }

  /** Drop what is too old, or over the bound (the newest delivery is always kept). */
  trim(now: number): void {
    const end = this.recipients.length;
    while (
      this.head < end - 1 &&
      (this.held > KEEP_RECIPIENTS_PER_TARGET || this.at[this.head]! < now - KEEP_RECIPIENTS_MS)
    ) {
      this.held -= this.recipients[this.head]!.length;
      this.head++;
      this.first++;
    }
    if (this.head > 1024 && this.head * 2 > end) {
      this.recipients.splice(0, this.head);
      this.at.splice(0, this.head);
      this.head = 0;
    }
  }

  /** The recipients of deliveries `from`..`to`, or undefined when some of them are no longer kept. */
  between(from: number, to: number): Set<string> | undefined {
    if (from < this.first || to >= this.next) return undefined;
    const users = new Set<string>();
    for (let seq = from; seq <= to; seq++) {
      for (const u of this.recipients[this.head + seq - this.first]!) users.add(u);
    }
    return users;
  }
}

/** This node's numbering of what it sends, and the recipients of its recent deliveries. */
export class SentDeliveries {
  private readonly rings = new Map<string, SentRing>();
  private everyoneSeq = 0;

  /** Number a delivery to `target` and keep its recipients. */
  delivery(target: string, recipients: readonly string[], now = Date.now()): number {
    let ring = this.rings.get(target);
    if (!ring) this.rings.set(target, (ring = new SentRing()));
    return ring.add(recipients, now);
  }

  /** Number a frame for every connection of the other nodes. */
  everyone(): number {
    return ++this.everyoneSeq;
  }

  /** The last number sent to `target` (0: none yet). */
  sentTo(target: string): number {
    return (this.rings.get(target)?.next ?? 1) - 1;
  }

  get everyoneSent(): number {
    return this.everyoneSeq;
  }

  /** The last number sent to each of `targets` that was sent anything. */
  sentToEach(targets: Iterable<string>): Record<string, number> {
    const sent: Record<string, number> = {};
    for (const t of targets) {
      const n = this.sentTo(t);
      if (n > 0) sent[t] = n;
    }
    return sent;
  }

  /**
   * Whom deliveries `from`..`to` to `target` were for: undefined when some are no longer kept, or
   * they were for more than MAX_LOST_RECIPIENTS users (the receiver then tells all its devices).
   */
  lostBy(target: string, from: number, to: number, now = Date.now()): string[] | undefined {
    const ring = this.rings.get(target);
    if (!ring) return undefined;
    ring.trim(now);
    const users = ring.between(from, to);
    return users && users.size <= MAX_LOST_RECIPIENTS ? [...users] : undefined;
  }

  /**
   * `target` left or went silent: its recipients are dropped, its counter is not (a node that comes
   * back under the same id goes on from where it was, so a loss right then is still seen).
   */
  forget(target: string): void {
    const ring = this.rings.get(target);
    if (!ring) return;
    const kept = new SentRing();
    kept.next = kept.first = ring.next;
    this.rings.set(target, kept);
  }
}

/** Deliveries `from`..`to` of node `sender` never arrived here. */
export interface Gap {
  sender: string;
  from: number;
  to: number;
}

/** What this node got of each other node's numbered deliveries and frames for everyone. */
export class ReceivedSequences {
  private readonly lastDelivery = new Map<string, number>();
  private readonly lastEveryone = new Map<string, number>();

  /** Delivery `seq` of `sender` arrived: the gap before it, if any. */
  delivery(sender: string, seq: number): Gap | undefined {
    return this.advance(this.lastDelivery, sender, seq, true);
  }

  /** Frame for everyone `seq` of `sender` arrived: whether one before it is missing. */
  everyone(sender: string, seq: number): boolean {
    return this.advance(this.lastEveryone, sender, seq, true) !== undefined;
  }

  /**
   * `sender` says it has sent `deliveries` to this node and `everyone` frames for everyone (its
   * beat, or its answer to this node's rejoin): the gaps that leaves. Numbers are the last sent;
   * anything sent before them arrived already (a node's messages arrive in its order).
   */
  counts(sender: string, deliveries: number, everyone: number): { gap?: Gap; everyoneLost: boolean } {
    const gap = this.advance(this.lastDelivery, sender, deliveries, false);
    const everyoneLost = this.advance(this.lastEveryone, sender, everyone, false) !== undefined;
    return gap ? { gap, everyoneLost } : { everyoneLost };
  }

  /** `sender` left for good (a node that comes back under its id starts again from 1). */
  forget(sender: string): void {
    this.lastDelivery.delete(sender);
    this.lastEveryone.delete(sender);
  }

  /**
   * Move `sender`'s last number to `seq`. `arrived`: `seq` itself arrived (a message), not only
   * announced (a count). The first number heard of a sender is where its numbering starts for this
   * node: what it sent before, this node was not there for. A number below the last one is a sender
   * that restarted under the same id: it starts again from there.
   */
  private advance(last: Map<string, number>, sender: string, seq: number, arrived: boolean): Gap | undefined {
    const before = last.get(sender);
    if (before === undefined || seq < before) {
      last.set(sender, seq);
      return undefined;
    }
    const lostUpTo = arrived ? seq - 1 : seq;
    last.set(sender, seq);
    return lostUpTo > before ? { sender, from: before + 1, to: lostUpTo } : undefined;
  }
}
