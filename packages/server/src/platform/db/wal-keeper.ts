import { statSync } from 'node:fs';
import type SQLite from 'better-sqlite3';

/** What one look at the WAL did. */
export type WalKeeperOutcome =
  /** At or under the limit: nothing to do. */
  | 'small'
  /** Every frame copied into the database and the file truncated to nothing. */
  | 'truncated'
  /** A reader or writer held on past the wait: try again next time. */
  | 'busy'
  /** This connection is inside a transaction (between two awaits of one): not now. */
  | 'in-transaction';

export interface WalKeeperOptions {
  /** The WAL file (`<database>-wal`). */
  walPath: string;
  /** Past this size the keeper checkpoints and truncates. */
  limitBytes: number;
  /** How often it looks. */
  intervalMs: number;
  /** How long a truncation waits for other connections' readers and writer, on the event loop. */
  busyMs: number;
  /** Told when a look truncated or found the WAL busy. */
  onOutcome?: (outcome: WalKeeperOutcome, walBytes: number) => void;
}

interface CheckpointRow {
  busy: number;
  log: number;
  checkpointed: number;
}

/**
 * Keeps the SQLite WAL from growing without end.
 *
 * SQLite starts writing the WAL from its beginning again only when a writer begins while every
 * frame has been copied into the database and no reader still uses the WAL. Under steady writes
 * from several worker processes that moment never comes: the WAL grew past 100 MB in a benchmark,
 * and once past `wal_autocheckpoint` every commit attempted a checkpoint. `journal_size_limit`
 * shrinks the file only at such a restart. So this looks at the file's size now and then and, past
 * the limit, runs `wal_checkpoint(TRUNCATE)`: it holds new writers off, waits at most `busyMs` for
 * readers on older snapshots, copies what is left (the automatic checkpoints have copied most of
 * it), syncs the database and empties the WAL. A commit's frames are in the synced database before
 * the WAL is emptied, so durability is unchanged.
 */
export class WalKeeper {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly sqlite: SQLite.Database,
    private readonly opts: WalKeeperOptions,
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.report(this.tick()), this.opts.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** One look: truncate the WAL when it is past the limit. */
  tick(): WalKeeperOutcome {
    if (this.walBytes() <= this.opts.limitBytes) return 'small';
    if (this.sqlite.inTransaction || !this.sqlite.open) return 'in-transaction';
    const previous = this.sqlite.pragma('busy_timeout', { simple: true }) as number;
    this.sqlite.pragma(`busy_timeout = ${Math.max(0, Math.floor(this.opts.busyMs))}`);
    try {
      const [row] = this.sqlite.pragma('wal_checkpoint(TRUNCATE)') as CheckpointRow[];
      return row && row.busy === 0 ? 'truncated' : 'busy';
    } catch (err) {
      if ((err as { code?: string }).code?.startsWith('SQLITE_BUSY')) return 'busy';
      throw err;
    } finally {
      this.sqlite.pragma(`busy_timeout = ${previous}`);
    }
  }

  private report(outcome: WalKeeperOutcome): void {
    if (outcome === 'truncated' || outcome === 'busy') this.opts.onOutcome?.(outcome, this.walBytes());
  }

  private walBytes(): number {
    try {
      return statSync(this.opts.walPath).size;
    } catch {
      return 0;
    }
  }
}
