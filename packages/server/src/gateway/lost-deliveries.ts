import type { Broker } from '../platform/broker/index.ts';
import type { Logger } from '../platform/logger.ts';
import { ReceivedSequences, SentDeliveries, type Gap } from './delivery-sequences.ts';
import {
  Subjects,
  type DeliverMessage,
  type EveryoneMessage,
  type HeartbeatMessage,
  type LostAnswer,
  type LostRequest,
  type SentCounts,
} from './subjects.ts';

/** Which devices of this node are to catch up: these users', or all of them. */
export type Missed = readonly string[] | 'all';

/**
 * Finds the deliveries other nodes sent this one that never arrived, and whom they were for (see
 * delivery-sequences.ts): those users' devices catch up, the others are left alone. Every device
 * catches up only when that cannot be known: the sender no longer holds the recipients, it went
 * silent or left while this node was cut off from it, it numbers nothing (an older version), its
 * answer never came, or a frame for everyone was lost.
 */
export class LostDeliveries {
  readonly sent = new SentDeliveries();
  private readonly received = new ReceivedSequences();
  /** Ranges asked about and not answered yet, by sender, with when they were asked. */
  private readonly asked = new Map<string, Gap & { at: number }>();
  /** Nodes not heard from since this node's link came back: a loss from them cannot be ruled out yet. */
  private readonly unconfirmed = new Set<string>();
  /** Nodes whose beats carry their counts (older versions' do not). */
  private readonly numbering = new Set<string>();
  private allPending = false;

  constructor(
    private readonly broker: Broker,
    private readonly self: string,
    private readonly missed: (who: Missed) => void,
    private readonly log: Logger,
  ) {}

  /** A delivery arrived from another node. */
  onDelivery(m: DeliverMessage): void {
    if (m.from === undefined || m.seq === undefined) return;
    const gap = this.received.delivery(m.from, m.seq);
    if (gap) this.ask(gap);
  }

  /** A frame for everyone arrived: one lost before it was for every device here too. */
  onEveryone(m: EveryoneMessage): void {
    if (m.seq !== undefined && this.received.everyone(m.nodeId, m.seq))
      this.all('frame for everyone lost', m.nodeId);
  }

  onBeat(m: HeartbeatMessage): void {
    if (m.sent === undefined) {
      this.numbering.delete(m.nodeId);
      return;
    }
    this.numbering.add(m.nodeId);
    this.onCounts(m.nodeId, m.sent[this.self] ?? 0, m.everyone ?? 0);
  }

  /** What `nodeId` says it sent here (its beat, or its answer to this node's snapshot request). */
  onCounts(nodeId: string, deliveries: number, everyone: number): void {
    this.unconfirmed.delete(nodeId);
    const { gap, everyoneLost } = this.received.counts(nodeId, deliveries, everyone);
    if (everyoneLost) this.all('frame for everyone lost', nodeId);
    else if (gap) this.ask(gap);
  }

  /**
   * The answer to a snapshot request of `asker`: what this node sent it. Sent when it is nothing too:
   * a node that starts learns from it where each running node's numbering starts for it.
   */
  countsFor(asker: string): void {
    this.broker.publish(Subjects.node(asker), {
      t: 'sent',
      nodeId: this.self,
      deliveries: this.sent.sentTo(asker),
      everyone: this.sent.everyoneSent,
    } satisfies SentCounts);
  }

  onSentCounts(m: SentCounts): void {
    this.numbering.add(m.nodeId);
    this.onCounts(m.nodeId, m.deliveries, m.everyone);
  }

  /** Another node lost deliveries of this one: tell it whom they were for. */
  onLostRequest(m: LostRequest): void {
    const users = this.sent.lostBy(m.nodeId, m.from, m.to);
    this.broker.publish(Subjects.node(m.nodeId), {
      t: 'lost-to',
      nodeId: this.self,
      from: m.from,
      to: m.to,
      users: users ?? [],
      all: users === undefined,
    } satisfies LostAnswer);
  }

  onLostAnswer(m: LostAnswer): void {
    const asked = this.asked.get(m.nodeId);
    // An answer to an earlier, narrower question: the wider one's answer is still to come.
    if (asked === undefined || m.from > asked.from || m.to < asked.to) return;
    this.asked.delete(m.nodeId);
    if (m.all) {
      this.all('recipients of lost deliveries no longer known', m.nodeId);
      return;
    }
    this.log.info(
      { peer: m.nodeId, from: m.from, to: m.to, users: m.users.length },
      'lost deliveries: recipients told to catch up',
    );
    if (m.users.length) this.missed(m.users);
  }

  /**
   * This node's link to the broker came back: whatever the others sent meanwhile may be lost. Each
   * known node is asked (the snapshot request) and answers with its counts; one that goes silent or
   * leaves before it does leaves the question open, and every device catches up. Questions still
   * open are asked again. False when some known node numbers nothing: the caller tells every device.
   */
  rejoined(nodes: Iterable<string>): boolean {
    let allNumber = true;
    for (const node of nodes) {
      if (node === this.self) continue;
      this.unconfirmed.add(node);
      if (!this.numbering.has(node)) allNumber = false;
    }
    const now = Date.now();
    for (const gap of this.asked.values()) this.publishAsk(gap, now);
    return allNumber;
  }

  /** `nodeId` was dropped: left (for good) or silent. */
  dropped(nodeId: string, why: 'left' | 'silent'): void {
    this.sent.forget(nodeId);
    if (why === 'left') this.received.forget(nodeId);
    this.numbering.delete(nodeId);
    const open = this.asked.delete(nodeId);
    if (this.unconfirmed.delete(nodeId) || open)
      this.all(`node ${why} before saying what it sent here`, nodeId);
  }

  /** Questions unanswered for `timeoutMs` (while the link was up) leave every device to catch up. */
  expire(now: number, timeoutMs: number): void {
    if (!this.broker.connected) return;
    for (const [node, gap] of this.asked) {
      if (now - gap.at < timeoutMs) continue;
      this.asked.delete(node);
      this.all('no answer about lost deliveries', node);
    }
  }

  private ask(gap: Gap): void {
    const open = this.asked.get(gap.sender);
    const wider = open ? { ...gap, from: Math.min(open.from, gap.from), to: Math.max(open.to, gap.to) } : gap;
    this.log.info({ peer: gap.sender, from: wider.from, to: wider.to }, 'deliveries from another node lost');
    this.publishAsk(wider, Date.now());
  }

  private publishAsk(gap: Gap, now: number): void {
    this.asked.set(gap.sender, { ...gap, at: now });
    this.broker.publish(Subjects.node(gap.sender), {
      t: 'lost',
      nodeId: this.self,
      from: gap.from,
      to: gap.to,
    } satisfies LostRequest);
  }

  /** Every device catches up, once for all the reasons found in the same turn. */
  private all(why: string, peer: string): void {
    this.log.warn({ peer, why }, 'every connection told to catch up');
    if (this.allPending) return;
    this.allPending = true;
    queueMicrotask(() => {
      this.allPending = false;
      this.missed('all');
    });
  }
}
