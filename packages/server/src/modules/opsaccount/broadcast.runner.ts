import type { Logger } from '../../platform/logger.ts';
import type { MessagesService } from '../messages/index.ts';
import type { UsersService } from '../users/index.ts';
import type { OpsAccount } from './opsaccount.account.ts';
import type { BroadcastRecord, OpsAccountRepo } from './opsaccount.repo.ts';

/** Members of a department and its sub-departments (the directory module provides it). */
export interface DepartmentMembers {
  memberIds(departmentId: string): Promise<string[]>;
}

export interface BroadcastRunnerDeps {
  repo: OpsAccountRepo;
  account: OpsAccount;
  users: Pick<UsersService, 'activeIdsAfter' | 'existing'>;
  messages: Pick<MessagesService, 'send'>;
  departments: DepartmentMembers | null;
  log: Logger;
  batchSize: number;
  batchPauseMs: number;
  now: () => number;
}

/** Sends within a batch in flight at once: enough to fill group commits, few enough to leave room. */
const IN_FLIGHT = 16;

/** The idempotency key of one recipient's copy: a retry after a restart finds the copy already sent. */
export function copyClientId(broadcastId: string, userId: string): string {
  return `b-${broadcastId}-${userId}`;
}

const pause = (ms: number) =>
  new Promise<void>((resolve) => (ms > 0 ? setTimeout(resolve, ms) : setImmediate(resolve)));

/**
 * Delivers broadcasts in the background: recipients in id order, `batchSize` at a time, each copy an
 * ordinary message in the recipient's chat with the operations account (so online devices get the
 * usual event at once). After every batch the cursor and count are stored, so a restart resumes
 * where it stopped; copies carry a per-recipient client id, so the batch redone after a crash does
 * not duplicate them. One broadcast runs at a time per node, between pauses.
 */
export class BroadcastRunner {
  private running: Promise<void> | null = null;
  private stopping = false;

  constructor(private readonly d: BroadcastRunnerDeps) {}

  /** Start working through running broadcasts (no-op when already at it). */
  kick(): void {
    if (this.stopping || this.running) return;
    this.running = this.loop()
      .catch((err: unknown) => this.d.log.error({ err }, 'broadcast delivery stopped'))
      .finally(() => {
        this.running = null;
      });
  }

  /** Finish the current batch and stop; running broadcasts resume on the next start. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.running;
  }

  /** The recipients of a department broadcast, in id order (resolved once per batch). */
  private async departmentPage(b: BroadcastRecord): Promise<{ ids: string[]; total: number }> {
    if (!this.d.departments || b.targetId === null) return { ids: [], total: 0 };
    const all = [...(await this.d.users.existing(await this.d.departments.memberIds(b.targetId)))].sort();
    const after = b.cursor;
    const rest = after === null ? all : all.filter((id) => id > after);
    return { ids: rest.slice(0, this.d.batchSize), total: all.length };
  }

  private async page(b: BroadcastRecord): Promise<{ ids: string[]; total?: number }> {
    if (b.targetKind === 'all') {
      // The operations account itself is disabled, so never among them.
      return { ids: await this.d.users.activeIdsAfter(b.cursor, this.d.batchSize) };
    }
    if (b.targetKind === 'department') return this.departmentPage(b);
    // One user: the whole target is one batch.
    return { ids: b.cursor === null && b.targetId !== null ? [b.targetId] : [] };
  }

  private async loop(): Promise<void> {
    for (;;) {
      if (this.stopping) return;
      const [id] = await this.d.repo.runningIds();
      if (id === undefined) return;
      await this.run(id);
    }
  }

  private async run(id: string): Promise<void> {
    for (;;) {
      if (this.stopping) return;
      const b = await this.d.repo.broadcast(id);
      if (!b || b.status !== 'running') return;
      const { ids, total } = await this.page(b);
      if (ids.length === 0) {
        await this.d.repo.progress(
          id,
          { cursor: b.cursor, delivered: b.delivered, done: true },
          this.d.now(),
        );
        return;
      }
      await this.deliver(b, ids);
      const last = ids[ids.length - 1] as string;
      const delivered = b.delivered + ids.length;
      // A short page is the last one: no extra round (and pause) just to find nothing.
      const done = b.targetKind === 'user' || ids.length < this.d.batchSize;
      await this.d.repo.progress(id, { cursor: last, delivered, done, total }, this.d.now());
      await pause(this.d.batchPauseMs);
    }
  }

  /** One batch: every recipient's copy, a bounded number in flight (they share group commits). */
  async deliver(b: BroadcastRecord, ids: readonly string[]): Promise<void> {
    let next = 0;
    const worker = async () => {
      while (next < ids.length) {
        const userId = ids[next++] as string;
        const chat = await this.d.account.chatWith(userId);
        await this.d.messages.send(this.d.account.caller, {
          conversationId: chat.id,
          clientId: copyClientId(b.id, userId),
          content: { kind: 'text', text: b.text },
        });
      }
    };
    await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, ids.length) }, worker));
  }
}
