import { DurabilityError } from '../../platform/db/index.ts';

/** What one item of a committed batch came to: its result, or why it failed alone. */
export type Outcome<R> = { ok: true; value: R } | { ok: false; error: unknown };

export interface CommitBatcherOptions<T, R> {
  /** Most items per commit (one transaction). */
  maxBatch: number;
  /**
   * Commit a batch in one transaction; returns one outcome per item, in order. Throwing means the
   * whole transaction failed: the batcher then retries each item alone, so one bad item fails alone.
   */
  commit(items: readonly T[]): Promise<Array<Outcome<R>>>;
  /** Runs after the batch's promises are settled (the acks), e.g. to publish events. */
  afterSettle?(items: readonly T[], outcomes: ReadonlyArray<Outcome<R>>): void;
  /** Defers the first flush so that concurrent callers join one batch (default: setImmediate). */
  schedule?(run: () => void): void;
  /** Told about unexpected failures of afterSettle. */
  onError?(err: unknown): void;
  /** The error for items enqueued after close(). */
  closedError?(): unknown;
}

export interface CommitStats {
  /** Commit calls (transactions), including one-by-one retries. */
  transactions: number;
  /** Items settled successfully. */
  committed: number;
  /** Items settled with an error. */
  failed: number;
  /** Batches whose transaction failed and were retried item by item. */
  splits: number;
}

interface Pending<T, R> {
  item: T;
  resolve(value: R): void;
  reject(err: unknown): void;
}

/**
 * Group commit: callers enqueue items and get a promise that settles only after the item's
 * transaction has committed. The first enqueue schedules a flush; while a flush is in flight new
 * items wait and go together in the next one (scheduled when it ends), at most `maxBatch` per
 * transaction. Flushes never overlap, so seqs assigned by one flush are visible to the next.
 */
export class CommitBatcher<T, R> {
  private queue: Array<Pending<T, R>> = [];
  private scheduled = false;
  private running: Promise<void> | null = null;
  private closed = false;
  readonly stats: CommitStats = { transactions: 0, committed: 0, failed: 0, splits: 0 };

  constructor(private readonly opts: CommitBatcherOptions<T, R>) {
    if (opts.maxBatch < 1) throw new Error('maxBatch must be at least 1');
  }

  /** Items waiting for a flush (not counting one in flight). */
  get pending(): number {
    return this.queue.length;
  }

  /** Whether a flush is running now. */
  get inFlight(): boolean {
    return this.running !== null;
  }

  enqueue(item: T): Promise<R> {
    if (this.closed) return Promise.reject(this.opts.closedError?.() ?? new Error('commit batcher closed'));
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.kick();
    });
  }

  /** Stop taking items and wait until everything enqueued so far has been committed. */
  async close(): Promise<void> {
    this.closed = true;
    await this.drain();
  }

  /** Wait until the queue is empty and no flush is in flight. */
  async drain(): Promise<void> {
    while (this.running || this.queue.length > 0) {
      if (!this.running) this.start();
      await this.running;
    }
  }

  private kick(): void {
    if (this.scheduled || this.running) return;
    this.scheduled = true;
    const schedule = this.opts.schedule ?? ((run: () => void) => void setImmediate(run));
    schedule(() => {
      this.scheduled = false;
      if (!this.running) this.start();
    });
  }

  private start(): void {
    const batch = this.queue.splice(0, this.opts.maxBatch);
    this.running = this.flush(batch).finally(() => {
      this.running = null;
      // The next flush starts from the scheduler too, not at once: the acks just given out let their
      // callers send again within this turn of the event loop, and those sends should join it.
      if (this.queue.length > 0) this.kick();
    });
  }

  private async flush(batch: Array<Pending<T, R>>): Promise<void> {
    const items = batch.map((p) => p.item);
    let outcomes: Array<Outcome<R>>;
    try {
      outcomes = await this.commitOnce(items);
    } catch (err) {
      // A failed sync after the commit: the batch did commit, so running its items again would
      // store them twice. They fail together, unacknowledged.
      if (batch.length === 1 || err instanceof DurabilityError)
        outcomes = batch.map(() => ({ ok: false, error: err }));
      else {
        this.stats.splits++;
        outcomes = [];
        for (const item of items) {
          try {
            outcomes.push(
              (await this.commitOnce([item]))[0] ?? { ok: false, error: new Error('no outcome') },
            );
          } catch (itemErr) {
            outcomes.push({ ok: false, error: itemErr });
          }
        }
      }
    }
    batch.forEach((p, i) => {
      const o = outcomes[i] ?? { ok: false, error: new Error('no outcome') };
      if (o.ok) {
        this.stats.committed++;
        p.resolve(o.value);
      } else {
        this.stats.failed++;
        p.reject(o.error);
      }
    });
    if (this.opts.afterSettle) {
      try {
        this.opts.afterSettle(items, outcomes);
      } catch (err) {
        this.opts.onError?.(err);
      }
    }
  }

  private async commitOnce(items: readonly T[]): Promise<Array<Outcome<R>>> {
    this.stats.transactions++;
    const outcomes = await this.opts.commit(items);
    if (outcomes.length !== items.length)
      throw new Error(`commit returned ${outcomes.length} outcomes for ${items.length} items`);
    return outcomes;
  }
}
