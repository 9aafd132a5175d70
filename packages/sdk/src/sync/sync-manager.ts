import type { OpResponse } from '@zhixin/protocol';
import { TypedEmitter, type Listener, type Unsubscribe } from '../emitter.ts';
import { ZhixinError } from '../errors.ts';
import type { Storage } from '../storage/storage.ts';
import type { Call } from '../transport.ts';
import { MessageOrder, type Message } from './message-order.ts';
import { SyncState } from './sync-state.ts';

export type Conversation = OpResponse<'conversations.list'>['conversations'][number];

/** The outcome of one catch-up. */
export interface SyncResult {
  /** Conversations changed since the previous sync (all of them the first time). */
  conversations: Conversation[];
  /** The first sync of this user on this storage: a baseline, no messages were replayed. */
  initial: boolean;
}

export interface SyncEvents {
  'message.created': Message;
  'message.updated': Message;
  'sync.completed': SyncResult;
  'sync.error': ZhixinError;
}

export interface SyncManagerOptions {
  call: Call;
  storage: Storage;
  /** The signed-in user; sync state is kept per user. */
  userId: () => string | undefined;
  /** The server's clock now, when known (from the realtime `hello`). */
  serverNow?: () => number | undefined;
  /** History page size; default 100 (the server allows up to 200). */
  pageSize?: number;
  /** At most this many missed messages are replayed per conversation; older ones are left to `history()`. Default 1000. */
  maxCatchUp?: number;
  /** Conversations caught up in parallel; default 4. */
  concurrency?: number;
}

/** Changes are asked for from a little before the last known-good time: clocks of cluster nodes and delivery lag. */
const CHANGES_MARGIN_MS = 30_000;
const CHANGES_LIMIT = 500;
/** Bounds one catch-up of changes to 10,000 per conversation; older ones come with history. */
const MAX_CHANGE_PAGES = 20;
/** Pull rounds that may chase messages arriving during a pull before holes are accepted as empty. */
const MAX_ROUNDS = 3;

/**
 * Keeps the client's messages complete: per conversation the highest seq it has (persisted), a
 * catch-up after every (re)connect, and gap pulls when a live message skips ahead. Emits each
 * message once as `message.created`, in seq order per conversation, and each newer version once as
 * `message.updated`.
 *
 * @example
 * const sync = new SyncManager({ call, storage, userId: () => session.userId });
 * sync.on('message.created', (m) => timeline.add(m));
 * await sync.sync();
 */
export class SyncManager {
  private readonly emitter = new TypedEmitter<SyncEvents>();
  private readonly pageSize: number;
  private readonly maxCatchUp: number;
  private readonly concurrency: number;
  private state: SyncState | undefined;
  private order: MessageOrder | undefined;
  private loading: Promise<{ state: SyncState; order: MessageOrder }> | undefined;
  private running: Promise<SyncResult> | undefined;
  private again: Promise<SyncResult> | undefined;
  private readonly pulls = new Map<string, Promise<void>>();
  private readonly queued = new Map<string, { target: number; promise: Promise<void> }>();
  private chain: Promise<void> = Promise.resolve();
  /** The last catch-up finished: live events since then cover everything. */
  private caughtUp = false;

  constructor(private readonly opts: SyncManagerOptions) {
    this.pageSize = opts.pageSize ?? 100;
    this.maxCatchUp = opts.maxCatchUp ?? 1000;
    this.concurrency = opts.concurrency ?? 4;
  }

  /** @example sync.on('message.created', (m) => console.log(m.conversationId, m.seq)); */
  on<K extends keyof SyncEvents>(event: K, listener: Listener<SyncEvents[K]>): Unsubscribe {
    return this.emitter.on(event, listener);
  }

  /**
   * Catch up: conversations changed since the cursor, their missed messages, then edits, recalls and
   * reactions while away. Called on every `hello`; a call during a run schedules one more run after it.
   *
   * @example
   * const { conversations, initial } = await sync.sync();
   */
  sync(): Promise<SyncResult> {
    if (this.running) {
      this.again ??= this.running
        .catch(() => undefined)
        .then(() => {
          this.again = undefined;
          return this.sync();
        });
      return this.again;
    }
    this.running = this.runSync().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /** A `message.created` event from the server. @example sync.receiveCreated(frame.body); */
  receiveCreated(message: Message): void {
    this.serially(({ order }) => {
      if (order.live(message)) this.pullInBackground(message.conversationId, message.seq);
    });
  }

  /** A `message.updated` event from the server. */
  receiveUpdated(message: Message): void {
    this.serially(({ order }) => order.update(message));
  }

  /** The server accepted a message we sent: it counts as received (the server may not echo it to us). */
  receiveSent(message: Message): void {
    this.receiveCreated(message);
  }

  /**
   * The connection was lost: remember the server time up to which we had every change. Ignored while
   * a catch-up is unfinished (its changes are still owed) and when nothing is loaded (logged out).
   */
  checkpoint(serverTimeAlive: number | undefined): void {
    if (serverTimeAlive === undefined || !this.caughtUp || this.running) return;
    this.state?.advanceSyncedAt(serverTimeAlive - CHANGES_MARGIN_MS);
  }

  /** The highest seq delivered for a conversation (undefined before any). */
  knownSeq(conversationId: string): number | undefined {
    return this.state?.knownSeq(conversationId);
  }

  /** Write pending state and forget the in-memory copy (logout, user switch). */
  async reset(): Promise<void> {
    const state = this.state;
    this.caughtUp = false;
    this.state = undefined;
    this.order = undefined;
    this.loading = undefined;
    await state?.flush();
  }

  /** Resolves when the state is written to storage. */
  async flush(): Promise<void> {
    await this.chain;
    await this.state?.flush();
  }

  private async runSync(): Promise<SyncResult> {
    this.caughtUp = false;
    const { state, order } = await this.load();
    const startedAt = this.opts.serverNow?.();
    const initial = !state.initialized;
    const changesSince = state.syncedAt;
    const list = await this.opts.call(
      'conversations.list',
      state.cursor === undefined ? {} : { since: state.cursor },
    );
    await this.forEach(list.conversations, async (conv) => {
      const known = state.knownSeq(conv.id);
      if (initial && known === undefined) return order.skipTo(conv.id, conv.lastSeq);
      if (conv.lastSeq > (known ?? 0)) await this.pull(conv.id, conv.lastSeq);
      if (!initial && known !== undefined && changesSince !== undefined)
        await this.pullChanges(conv.id, changesSince);
    });
    state.cursor = list.cursor;
    state.initialized = true;
    if (startedAt !== undefined) state.advanceSyncedAt(startedAt - CHANGES_MARGIN_MS);
    this.caughtUp = true;
    const result = { conversations: list.conversations, initial };
    this.emitter.emit('sync.completed', result);
    return result;
  }

  /** Pull one conversation up to `target` (and past anything held); one pull per conversation at a time. */
  private pull(conversationId: string, target: number): Promise<void> {
    const running = this.pulls.get(conversationId);
    if (running) {
      // At most one follow-up per conversation, for the highest target asked while one runs.
      const queued = this.queued.get(conversationId);
      if (queued) {
        queued.target = Math.max(queued.target, target);
        return queued.promise;
      }
      const next = { target, promise: Promise.resolve() };
      next.promise = running
        .catch(() => undefined)
        .then(() => {
          this.queued.delete(conversationId);
          return this.pull(conversationId, next.target);
        });
      this.queued.set(conversationId, next);
      return next.promise;
    }
    const p = this.runPull(conversationId, target).finally(() => this.pulls.delete(conversationId));
    this.pulls.set(conversationId, p);
    return p;
  }

  private pullInBackground(conversationId: string, target: number): void {
    this.pull(conversationId, target).catch((err: unknown) =>
      this.emitter.emit('sync.error', ZhixinError.from(err)),
    );
  }

  private async runPull(conversationId: string, target: number): Promise<void> {
    const { state, order } = await this.load();
    for (let round = 1; ; round++) {
      const known = state.knownSeq(conversationId) ?? 0;
      const goal = Math.max(target, order.maxHeld(conversationId) ?? 0);
      if (goal <= known) return;
      if (goal - known > this.maxCatchUp) order.skipTo(conversationId, goal - this.maxCatchUp);
      let after = state.knownSeq(conversationId) ?? 0;
      let progressed = false;
      const mark = order.mark();
      for (;;) {
        const page = await this.opts.call('messages.history', {
          conversationId,
          afterSeq: after,
          limit: this.pageSize,
        });
        const messages = [...page.messages].sort((a, b) => a.seq - b.seq);
        for (const m of messages) order.pulled(m);
        const last = messages[messages.length - 1];
        if (last && last.seq > after) {
          after = last.seq;
          progressed = true;
        }
        if (!page.hasMore || !last) break;
      }
      if (!order.hasHeld(conversationId)) return;
      // Still holding messages beyond a hole. Those held before the page was asked for would have been
      // in it: if the server had nothing new, the hole is empty. Anything held since: look again.
      const settled = !progressed && !order.heldAfter(conversationId, mark);
      if (settled || round >= MAX_ROUNDS) return order.releaseHeld(conversationId);
    }
  }

  /**
   * Page through the changes since a time, by `updatedAt` (the server returns `updatedAt > since`,
   * oldest first). Each next page starts 1 ms before the last one ended, so that changes sharing a
   * millisecond across the page boundary are not skipped; repeats are dropped by version.
   */
  private async pullChanges(conversationId: string, from: number): Promise<void> {
    const { order } = await this.load();
    let since = from;
    for (let page = 0; page < MAX_CHANGE_PAGES; page++) {
      const { messages, hasMore } = await this.opts.call('messages.changes', {
        conversationId,
        since,
        limit: CHANGES_LIMIT,
      });
      for (const m of [...messages].sort((a, b) => a.updatedAt - b.updatedAt || a.seq - b.seq))
        order.update(m);
      const last = Math.max(...messages.map((m) => m.updatedAt));
      if (!hasMore || messages.length === 0) return;
      // A whole page within one millisecond: step over it rather than loop.
      since = last - 1 > since ? last - 1 : last;
    }
  }

  private serially(fn: (ctx: { state: SyncState; order: MessageOrder }) => void): void {
    this.chain = this.chain
      .then(() => this.load())
      .then(fn)
      .catch((err: unknown) => this.emitter.emit('sync.error', ZhixinError.from(err)));
  }

  /** The state of the signed-in user, loading it (again, after a user switch) when needed. */
  private load(): Promise<{ state: SyncState; order: MessageOrder }> {
    const userId = this.opts.userId();
    if (!userId) return Promise.reject(new ZhixinError('UNAUTHENTICATED', 'not logged in', { status: 0 }));
    if (this.state?.userId === userId && this.order)
      return Promise.resolve({ state: this.state, order: this.order });
    if (this.loading && this.state === undefined) {
      return this.loading.then((loaded) => (loaded.state.userId === userId ? loaded : this.load()));
    }
    const loading = SyncState.load(this.opts.storage, userId, (err) =>
      this.emitter.emit('sync.error', ZhixinError.from(err)),
    ).then((state) => {
      const order = new MessageOrder(state, {
        created: (m) => this.emitter.emit('message.created', m),
        updated: (m) => this.emitter.emit('message.updated', m),
      });
      if (this.loading === loading) {
        this.state = state;
        this.order = order;
      }
      return { state, order };
    });
    this.state = undefined;
    this.order = undefined;
    this.loading = loading;
    return loading;
  }

  private async forEach<T>(items: readonly T[], fn: (item: T) => Promise<void>): Promise<void> {
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < items.length) await fn(items[next++] as T);
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, items.length) }, worker));
  }
}
