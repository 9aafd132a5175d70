import type { Broker } from '../platform/broker/index.ts';
import { Subjects, type SnapshotMessage } from './subjects.ts';

/** Users per snapshot part: well below NATS's 1 MB default max payload. */
const SNAPSHOT_PART = 5000;

/**
 * A node answers snapshot requests between half of this window and all of it after the first one
 * came, all those that came meanwhile together:
 * - the requests of every node that dropped a silent node come when its next beat does, about the
 *   same instant on all of them, and are answered with one publish on `zx.nodes.snapshot` instead
 *   of one whole list per asker (31 of ~0.5 MB each from a worker of 32 holding 600,000 users);
 * - the answers to a node that asks every node (it starts, or comes back having dropped them all)
 *   arrive spread over the window, not all in one instant.
 * 25 ms per node of the cluster, at least 10 ms, at most a fifth of the beat period and 1 s: 800 ms
 * for 32 workers with 5-s beats.
 */
export function answerWindowMs(heartbeatMs: number, nodes: number): number {
  return Math.min(1000, heartbeatMs / 5, Math.max(10, 25 * nodes));
}

/** This node's answers to the others' requests for its user list (see answerWindowMs). */
export class SnapshotAnswers {
  /** Nodes waiting for the list. */
  private readonly askers = new Set<string>();
  /** Whether every waiting asker reads the shared subject (nodes of older versions do not). */
  private allShared = true;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly broker: Broker,
    private readonly self: string,
    private readonly users: () => Iterable<string>,
    /** The current answer window (it follows the cluster's size). */
    private readonly windowMs: () => number,
  ) {}

  /** A node asked; `shared`: it reads `zx.nodes.snapshot`. */
  ask(nodeId: string, shared: boolean): void {
    this.askers.add(nodeId);
    if (!shared) this.allShared = false;
    if (this.timer) return;
    const window = this.windowMs();
    this.timer = setTimeout(() => this.answer(), window / 2 + (Math.random() * window) / 2);
    this.timer.unref();
  }

  /** A node left or went silent: it waits for nothing any more. */
  forget(nodeId: string): void {
    this.askers.delete(nodeId);
  }

  stop(): void {
    clearTimeout(this.timer);
    this.askers.clear();
  }

  /** Send the list to the nodes that asked: to each alone, or one publish for all of them. */
  private answer(): void {
    this.timer = undefined;
    if (this.askers.size === 0) return;
    const subjects =
      this.askers.size > 1 && this.allShared ? [Subjects.snapshots] : [...this.askers].map(Subjects.node);
    this.askers.clear();
    this.allShared = true;
    const users = [...this.users()];
    for (const to of subjects) {
      let part = 0;
      for (let i = 0; i === 0 || i < users.length; i += SNAPSHOT_PART) {
        this.broker.publish(to, {
          t: 'snapshot',
          nodeId: this.self,
          users: users.slice(i, i + SNAPSHOT_PART),
          part: part++,
          last: i + SNAPSHOT_PART >= users.length,
        } satisfies SnapshotMessage);
      }
    }
  }
}

/** Parts of other nodes' snapshots on their way, by sender: they arrive together and in order. */
export class SnapshotParts {
  private readonly pending = new Map<string, string[]>();

  /** Take one part; returns the whole list once its last part came, so it is applied at once. */
  add(m: SnapshotMessage): string[] | undefined {
    const acc = m.part === 0 ? [] : (this.pending.get(m.nodeId) ?? []);
    acc.push(...m.users);
    if (!m.last) {
      this.pending.set(m.nodeId, acc);
      return undefined;
    }
    this.pending.delete(m.nodeId);
    return acc;
  }

  forget(nodeId: string): void {
    this.pending.delete(nodeId);
  }
}
