import type { EventBody } from '@zhixin/protocol';
import type { SyncState } from './sync-state.ts';

export type Message = EventBody<'message.created.v1'>;

/** Where ordered, deduplicated messages go. */
export interface OrderedSink {
  created(message: Message): void;
  updated(message: Message): void;
}

const byKey = (m: { conversationId: string; seq: number }): string => `${m.conversationId}\u0000${m.seq}`;

/**
 * The rules that make `message.created` exactly-once and in seq order per conversation, and
 * `message.updated` once per version. Synchronous and network-free: `SyncManager` feeds it and
 * decides when to pull.
 *
 * - known = the highest seq delivered; a created message at or below it is a duplicate;
 * - a message right after known is delivered, one further ahead is held until the gap is pulled;
 * - an update is delivered only when its version is higher than any delivered for that message.
 */
interface Held {
  message: Message;
  /** When it was held, on the counter of `mark()`. */
  stamp: number;
}

export class MessageOrder {
  private readonly held = new Map<string, Map<number, Held>>();
  private stamps = 0;
  /** Highest version delivered per message, most recent last (bounded). */
  private readonly versions = new Map<string, number>();

  constructor(
    private readonly state: SyncState,
    private readonly sink: OrderedSink,
    private readonly maxVersions = 5000,
  ) {}

  /**
   * A message pushed live (or the acknowledgement of our own send).
   * @returns true when it is ahead of a gap that must be pulled.
   */
  live(m: Message): boolean {
    const known = this.state.knownSeq(m.conversationId);
    if (known === undefined && !this.state.initialized) {
      // Before the first full sync there is no baseline: the first message seen sets it.
      this.deliver(m);
      return false;
    }
    const k = known ?? 0;
    if (m.seq <= k) {
      this.duplicate(m);
      return false;
    }
    if (m.seq === k + 1) {
      this.deliver(m);
      this.drain(m.conversationId);
      return false;
    }
    this.hold(m);
    return true;
  }

  /** A message of a history page `afterSeq: known`: the server's word that nothing lies between. */
  pulled(m: Message): void {
    const k = this.state.knownSeq(m.conversationId) ?? 0;
    if (m.seq <= k) return this.duplicate(m);
    for (const seq of this.heldSeqs(m.conversationId)) {
      if (seq >= m.seq) break;
      this.deliverHeld(m.conversationId, seq);
    }
    const copy = this.held.get(m.conversationId)?.get(m.seq)?.message;
    this.deliver(copy && copy.version > m.version ? copy : m);
    this.drain(m.conversationId);
  }

  /** A newer copy of a message (edit, recall, reaction). */
  update(m: Message): void {
    const known = this.state.knownSeq(m.conversationId);
    if (known !== undefined && m.seq > known) {
      // Not delivered yet: improve the held copy; a pull will bring the latest otherwise.
      const copy = this.held.get(m.conversationId)?.get(m.seq);
      if (copy && m.version > copy.message.version) copy.message = m;
      return;
    }
    if ((this.versions.get(byKey(m)) ?? 0) >= m.version) return;
    this.remember(m);
    this.sink.updated(m);
  }

  /** Move known forward without delivering what lies before `seq` (baseline, or a gap too long to pull). */
  skipTo(conversationId: string, seq: number): void {
    for (const s of this.heldSeqs(conversationId)) {
      if (s > seq) break;
      this.deliverHeld(conversationId, s);
    }
    if (seq > (this.state.knownSeq(conversationId) ?? 0)) this.state.setKnownSeq(conversationId, seq);
    this.drain(conversationId);
  }

  /** Deliver everything held, holes and all: the server has confirmed the holes are empty. */
  releaseHeld(conversationId: string): void {
    for (const s of this.heldSeqs(conversationId)) this.deliverHeld(conversationId, s);
  }

  /** A point on the hold counter: `heldAfter(id, mark)` tells whether anything was held since. */
  mark(): number {
    return this.stamps;
  }

  heldAfter(conversationId: string, mark: number): boolean {
    for (const h of this.held.get(conversationId)?.values() ?? []) if (h.stamp > mark) return true;
    return false;
  }

  /** The highest seq held behind a gap. */
  maxHeld(conversationId: string): number | undefined {
    const seqs = this.heldSeqs(conversationId);
    return seqs[seqs.length - 1];
  }

  hasHeld(conversationId: string): boolean {
    return (this.held.get(conversationId)?.size ?? 0) > 0;
  }

  private deliver(m: Message): void {
    this.held.get(m.conversationId)?.delete(m.seq);
    if (m.seq > (this.state.knownSeq(m.conversationId) ?? 0)) this.state.setKnownSeq(m.conversationId, m.seq);
    this.remember(m);
    this.sink.created(m);
  }

  private drain(conversationId: string): void {
    const held = this.held.get(conversationId);
    if (!held) return;
    for (let next = (this.state.knownSeq(conversationId) ?? 0) + 1; held.has(next); next++) {
      this.deliverHeld(conversationId, next);
    }
    if (held.size === 0) this.held.delete(conversationId);
  }

  private hold(m: Message): void {
    let held = this.held.get(m.conversationId);
    if (!held) {
      held = new Map();
      this.held.set(m.conversationId, held);
    }
    const copy = held.get(m.seq);
    if (!copy) held.set(m.seq, { message: m, stamp: ++this.stamps });
    else if (m.version > copy.message.version) copy.message = m;
  }

  private deliverHeld(conversationId: string, seq: number): void {
    const h = this.held.get(conversationId)?.get(seq);
    if (h) this.deliver(h.message);
  }

  /** A created message we already delivered: only news if its version is higher. */
  private duplicate(m: Message): void {
    const seen = this.versions.get(byKey(m));
    if (seen !== undefined && m.version > seen) {
      this.remember(m);
      this.sink.updated(m);
    }
  }

  private remember(m: Message): void {
    const key = byKey(m);
    const seen = this.versions.get(key) ?? 0;
    this.versions.delete(key);
    this.versions.set(key, Math.max(seen, m.version));
    if (this.versions.size > this.maxVersions) {
      const oldest = this.versions.keys().next().value;
      if (oldest !== undefined) this.versions.delete(oldest);
    }
  }

  private heldSeqs(conversationId: string): number[] {
    return [...(this.held.get(conversationId)?.keys() ?? [])].sort((a, b) => a - b);
  }
}
