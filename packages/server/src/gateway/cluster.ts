import type { Broker, Subscription } from '../platform/broker/index.ts';
import type { Logger } from '../platform/logger.ts';
import type { PresenceChange, PresenceDirectory } from './directory.ts';
import {
  isEveryoneMessage,
  isHeartbeat,
  isLeave,
  isNodeMessage,
  isPresenceMessage,
  isSnapshotMessage,
  isSnapshotRequest,
  Subjects,
  type DeliverMessage,
  type EveryoneMessage,
  type HeartbeatMessage,
  type NodeMessage,
  type PresenceMessage,
  type SnapshotMessage,
  type SnapshotRequest,
} from './subjects.ts';
import { LostDeliveries, type Missed } from './lost-deliveries.ts';
import { PresenceBatch } from './presence-batch.ts';
import { answerWindowMs, SnapshotAnswers, SnapshotParts } from './snapshots.ts';

/** What the link reports to (and asks of) its gateway. */
export interface ClusterHooks {
  /** A delivery published by another node for connections on this one. */
  deliver(msg: DeliverMessage): void;
  /** A frame another node published for every connection. */
  deliverToAll(msg: EveryoneMessage): void;
  /** Users that went online or offline cluster-wide, as this node's directory sees it. */
  changed(changes: PresenceChange[]): void;
  /**
   * Another node announced the first connection of these users there (whether or not they were
   * online elsewhere already), after applying them to the directory.
   */
  joined(nodeId: string, userIds: readonly string[]): void;
  /** The users connected to this node now. */
  localUsers(): Iterable<string>;
  localUserCount(): number;
  /** Open connections on this node (authenticated or not). */
  localConnectionCount(): number;
  /** Deliveries for these users' connections here (or for all of them) were lost: they are to catch up. */
  missed(who: Missed): void;
}

export interface ClusterTiming {
  /**
   * How often nodes say they are alive. Beats leave on the multiples of this period on the clock,
   * the same instants on every node: a node then reads all the others' beats of a round in one or
   * two wake-ups instead of one wake-up per node (with 32 workers, 31 wake-ups per period each).
   */
  heartbeatMs: number;
  /** Beats a node may miss before its users are dropped from the directory. */
  missedBeats: number;
}

/** Recipients per delivery: well below NATS's 1 MB default max payload. */
export const DELIVERY_CHUNK = 10_000;
/** How long stop() waits for the `leave` announcement to reach the broker. */
const STOP_FLUSH_MS = 2000;

/**
 * Keeps this node's PresenceDirectory in step with the others over the broker (presence deltas,
 * heartbeats, snapshots, leave) and carries deliveries to other nodes, one publish per node.
 */
export class ClusterLink {
  private readonly subs: Subscription[] = [];
  /** Parts of snapshots on their way: those for this node alone, and the shared ones. */
  private readonly ownParts = new SnapshotParts();
  private readonly sharedParts = new SnapshotParts();
  private readonly answers: SnapshotAnswers;
  private readonly losses: LostDeliveries;
  private readonly lastAsked = new Map<string, number>();
  private askedAllAt = 0;
  /** When this node last beat (0 before its first beat), and whether that beat kept silent nodes. */
  private lastBeatAt = 0;
  private skippedSilence = false;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly presence: PresenceBatch;

  constructor(
    private readonly broker: Broker,
    private readonly self: string,
    private readonly directory: PresenceDirectory,
    private readonly hooks: ClusterHooks,
    private readonly log: Logger,
    private readonly timing: ClusterTiming,
  ) {
    this.answers = new SnapshotAnswers(
      broker,
      self,
      () => hooks.localUsers(),
      () => answerWindowMs(timing.heartbeatMs, directory.nodeCount),
    );
    this.presence = new PresenceBatch(broker, self, () => directory.nodeCount);
    this.losses = new LostDeliveries(broker, self, (who) => hooks.missed(who), log);
  }

  /** Subscribe, ask the running nodes who is connected to them, and start beating. */
  start(): void {
    const on = <T>(subject: string, guard: (v: unknown) => v is T, handle: (v: T) => void) =>
      this.subs.push(
        this.broker.subscribe(subject, (payload) => {
          if (this.stopped) return;
          if (!guard(payload)) {
            this.log.warn({ subject }, 'malformed cluster message dropped');
            return;
          }
          try {
            handle(payload);
          } catch (err) {
            this.log.error({ err, subject }, 'cluster message handling failed');
          }
        }),
      );
    on(Subjects.node(this.self), isNodeMessage, (m) => this.onNodeMessage(m));
    on(Subjects.snapshots, isSnapshotMessage, (m) => {
      if (m.nodeId !== this.self) this.onSnapshotPart(m, this.sharedParts);
    });
    on(Subjects.presence, isPresenceMessage, (m) => this.onPresence(m));
    on(Subjects.snapshotRequest, isSnapshotRequest, (m) => this.onSnapshotRequest(m));
    on(Subjects.heartbeat, isHeartbeat, (m) => this.onHeartbeat(m));
    on(Subjects.leave, isLeave, (m) => this.drop(m.nodeId, 'left'));
    on(Subjects.everyone, isEveryoneMessage, (m) => {
      if (m.nodeId === this.self) return;
      this.losses.onEveryone(m);
      this.hooks.deliverToAll(m);
    });
    this.directory.touch(this.self, Date.now());
    this.rejoin();
    this.scheduleBeat();
  }

  /** Beat at the next multiple of the period on the clock (see ClusterTiming.heartbeatMs). */
  private scheduleBeat(): void {
    if (this.stopped) return;
    const period = this.timing.heartbeatMs;
    this.timer = setTimeout(
      () => {
        this.beat();
        this.scheduleBeat();
      },
      period - (Date.now() % period),
    );
    this.timer.unref();
  }

  /**
   * Ask every running node who is connected to it, and beat now: at start, and when the broker
   * connection came back (the presence deltas sent meanwhile were lost, here and to the others).
   * The request lists the digest held of each node: only those whose users changed unheard answer,
   * so a worker cut off for a moment is not sent every other worker's whole list at once. The
   * others compare its beat with what they hold of it and ask for its list if they lost some.
   * Each answers with what it sent here (LostDeliveries). False when some known node cannot say
   * (an older version): then every device here is to catch up.
   */
  rejoin(): boolean {
    if (this.stopped) return true;
    const now = Date.now();
    this.askedAllAt = now;
    const known: Record<string, number> = {};
    for (const node of this.directory.nodes()) {
      if (node === this.self) continue;
      known[node] = this.directory.digestOn(node);
      // Their silence while this node's link was down was this node's deafness: each gets a new
      // grace period from now, and is dropped only if it stays silent through it.
      this.directory.touch(node, now);
    }
    this.broker.publish(Subjects.snapshotRequest, {
      nodeId: this.self,
      known,
      shared: true,
      counts: true,
    } satisfies SnapshotRequest);
    this.beat();
    return this.losses.rejoined(Object.keys(known));
  }

  /** This node's first connection of a user opened, or its last one closed. */
  announce(userId: string, online: boolean): void {
    if (!this.stopped) this.presence.announce(userId, online);
  }

  /** Publish one delivery to another node (split only for very large recipient lists). */
  deliverTo(nodeId: string, msg: Omit<DeliverMessage, 't' | 'recipients'>, recipients: string[]): number {
    let publishes = 0;
    if (this.stopped) return publishes;
    for (let i = 0; i < recipients.length; i += DELIVERY_CHUNK) {
      const part = recipients.slice(i, i + DELIVERY_CHUNK);
      const seq = this.losses.sent.delivery(nodeId, part);
      const message: DeliverMessage = { t: 'deliver', recipients: part, ...msg, from: this.self, seq };
      this.broker.publish(Subjects.node(nodeId), message);
      publishes++;
    }
    return publishes;
  }

  /** Publish one frame for every connection of the other nodes: one message, no recipient list. */
  deliverToEveryone(msg: Omit<EveryoneMessage, 'nodeId'>): void {
    if (this.stopped) return;
    const seq = this.losses.sent.everyone();
    this.broker.publish(Subjects.everyone, { nodeId: this.self, ...msg, seq } satisfies EveryoneMessage);
  }

  /** Tell the others this node is gone (its users are offline here), stop listening and beating. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearTimeout(this.timer);
    this.answers.stop();
    // The leave below takes all of this node's users offline elsewhere: pending changes are moot.
    this.presence.discard();
    this.broker.publish(Subjects.leave, { nodeId: this.self });
    for (const s of this.subs.splice(0)) s.unsubscribe();
    // A broker that is down must not hold up the shutdown: the others will notice the silence.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.broker.flush(),
      new Promise<void>((r) => (timer = setTimeout(r, STOP_FLUSH_MS))),
    ]);
    clearTimeout(timer);
  }

  /**
   * Beat, and forget the nodes that stopped beating, except on a beat half a period late or more:
   * this node itself was stalled then, and the timer runs before the others' beats that wait unread
   * in its socket, so they would all look silent. Dropping them all (workers of a 300,000 ramp were
   * stalled up to 16 s, all at once) costs every other node's whole list to take them back. The
   * next beat checks them (a node that is late every time still drops on every other beat). Nor
   * while the link to the broker is down: then nobody can be heard (rejoin() gives them all a new
   * grace period when it is back), and a NATS outage longer than the limit would otherwise have every
   * worker drop every other, then ask for all their lists at once.
   */
  private beat(): void {
    const now = Date.now();
    const sinceLastBeat = now - this.lastBeatAt;
    const late = this.lastBeatAt > 0 && sinceLastBeat > 1.5 * this.timing.heartbeatMs;
    this.lastBeatAt = now;
    const connections = this.hooks.localConnectionCount();
    this.directory.beat(this.self, connections, now);
    // Deltas first: the beat's user count includes them, and the others compare the two.
    this.presence.flush();
    this.broker.publish(Subjects.heartbeat, {
      nodeId: this.self,
      users: this.hooks.localUserCount(),
      connections,
      digest: this.directory.digestOn(this.self),
      sent: this.losses.sent.sentToEach(this.directory.nodes()),
      everyone: this.losses.sent.everyoneSent,
    } satisfies HeartbeatMessage);
    // While the link to the broker is down, nobody can be heard: the silence is this node's.
    if (!this.broker.connected) return;
    this.losses.expire(now, 2 * this.timing.heartbeatMs);
    const silent = this.directory.silentSince(
      now - this.timing.missedBeats * this.timing.heartbeatMs,
      this.self,
    );
    const skip = late && silent.length > 0 && !this.skippedSilence;
    this.skippedSilence = skip;
    if (skip) {
      this.log.warn(
        { sinceLastBeatMs: sinceLastBeat, silentNodes: silent.length },
        'this node was stalled: nodes that look silent are checked again at the next beat',
      );
      return;
    }
    for (const node of silent) this.drop(node, 'silent');
  }

  private drop(nodeId: string, why: 'left' | 'silent'): void {
    if (nodeId === this.self) return;
    this.ownParts.forget(nodeId);
    this.sharedParts.forget(nodeId);
    this.answers.forget(nodeId);
    this.lastAsked.delete(nodeId);
    this.losses.dropped(nodeId, why);
    const changes = this.directory.dropNode(nodeId);
    this.log.info({ peer: nodeId, why, users: changes.length }, 'node dropped from the presence directory');
    if (changes.length) this.hooks.changed(changes);
  }

  private onNodeMessage(m: NodeMessage): void {
    switch (m.t) {
      case 'deliver':
        this.losses.onDelivery(m);
        return this.hooks.deliver(m);
      case 'lost':
        return this.losses.onLostRequest(m);
      case 'lost-to':
        return this.losses.onLostAnswer(m);
      case 'sent':
        return this.losses.onSentCounts(m);
      case 'snapshot':
        return this.onSnapshotPart(m, this.ownParts);
    }
  }

  /** A whole snapshot is applied at once, so nobody flickers. */
  private onSnapshotPart(m: SnapshotMessage, parts: SnapshotParts): void {
    const users = parts.add(m);
    if (!users) return;
    this.directory.touch(m.nodeId, Date.now());
    const changes = this.directory.replaceNode(m.nodeId, users);
    if (changes.length) this.hooks.changed(changes);
  }

  private onPresence(m: PresenceMessage): void {
    if (m.nodeId === this.self) return;
    const { directory, hooks } = this;
    directory.touch(m.nodeId, Date.now());
    if ('userId' in m) {
      const change = directory.set(m.nodeId, m.userId, m.online);
      if (change) hooks.changed([change]);
      if (m.online) hooks.joined(m.nodeId, [m.userId]);
      return;
    }
    const changes: PresenceChange[] = [];
    for (const userId of m.online) {
      const change = directory.set(m.nodeId, userId, true);
      if (change) changes.push(change);
    }
    for (const userId of m.offline) {
      const change = directory.set(m.nodeId, userId, false);
      if (change) changes.push(change);
    }
    if (changes.length) hooks.changed(changes);
    if (m.online.length) hooks.joined(m.nodeId, m.online);
  }

  private onSnapshotRequest(m: SnapshotRequest): void {
    if (m.nodeId === this.self || (m.target !== undefined && m.target !== this.self)) return;
    this.directory.touch(m.nodeId, Date.now());
    // A node that asks everyone started or came back: what this node sent it tells it what it lost.
    if (m.target === undefined && m.counts === true) this.losses.countsFor(m.nodeId);
    // The asker holds this node's users already (it was cut off and nothing changed here unheard).
    if (m.known?.[this.self] === this.directory.digestOn(this.self)) return;
    this.answers.ask(m.nodeId, m.shared === true);
  }

  private onHeartbeat(m: HeartbeatMessage): void {
    if (m.nodeId === this.self) return;
    this.directory.beat(m.nodeId, m.connections ?? 0, Date.now());
    this.losses.onBeat(m);
    // Deltas and beats of one node arrive in its order, so a different count or digest means a lost
    // delta (e.g. during a broker outage): ask that node for the whole list, not more than once a
    // while. (Nodes of older versions send no digest: their count alone is compared.)
    if (
      m.users === this.directory.countOn(m.nodeId) &&
      (m.digest === undefined || m.digest === this.directory.digestOn(m.nodeId))
    )
      return;
    const now = Date.now();
    const quiet = 2 * this.timing.heartbeatMs;
    if (now - this.askedAllAt < quiet || now - (this.lastAsked.get(m.nodeId) ?? 0) < quiet) return;
    this.lastAsked.set(m.nodeId, now);
    this.broker.publish(Subjects.snapshotRequest, {
      nodeId: this.self,
      target: m.nodeId,
      shared: true,
    } satisfies SnapshotRequest);
  }
}
