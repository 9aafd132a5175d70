import { closeSync, fdatasync, fdatasyncSync, openSync } from 'node:fs';
import type { Kysely } from 'kysely';
import type { DB } from './schema.ts';

/** How the WAL file is synced: both flush its data (and size) to disk before they return. */
export interface FileSyncer {
  syncNow(fd: number): void;
  syncLater(fd: number): Promise<void>;
}

const fsSyncer: FileSyncer = {
  syncNow: (fd) => fdatasyncSync(fd),
  syncLater: (fd) =>
    new Promise((resolve, reject) => fdatasync(fd, (err) => (err ? reject(err) : resolve()))),
};

/** The WAL could not be synced: what was committed since the last good sync may not be on disk. */
export class DurabilityError extends Error {
  override readonly name = 'DurabilityError';
  constructor(cause: unknown) {
    super(`syncing the SQLite WAL failed: ${cause instanceof Error ? cause.message : String(cause)}`, {
      cause,
    });
  }
}

export interface DurabilityStats {
  /** Syncs on the event loop (commits of plain statements and of transactions not ours). */
  blocking: number;
  /** Syncs on libuv's thread pool (group commits of writeTransaction). */
  background: number;
  /** flush() calls that joined a sync another caller had asked for. */
  joined: number;
}

/**
 * "Acknowledged means durable" on SQLite without blocking the event loop in fsync.
 *
 * The connection runs with `synchronous = NORMAL`: a commit writes its WAL frames but does not sync
 * them (checkpoints still sync the WAL before copying it and the database after). This class syncs
 * the WAL instead, in one of two ways:
 * - a commit of a plain statement (autocommit) or of a transaction begun elsewhere is synced at
 *   once, on the event loop, before the statement returns: what `synchronous = FULL` did;
 * - a commit that writeTransaction announces with `deferNextCommit()` is not; writeTransaction
 *   releases the connection and then awaits `flush()`, an `fdatasync` on libuv's thread pool that
 *   started after its commit. Concurrent flushes share one sync (group durability), and the event
 *   loop serves sockets meanwhile. A caller resolves only once a sync that began after its commit
 *   has finished, so nothing is acknowledged before it is on disk.
 *
 * A failed sync is sticky (as in PostgreSQL, a failed fsync cannot be retried: the kernel may have
 * dropped the dirty pages): every later sync fails with the same DurabilityError.
 */
export class WalDurability {
  private fd: number | null = null;
  private deferNext = false;
  private running: Promise<void> | null = null;
  private queued: Promise<void> | null = null;
  private failure: DurabilityError | null = null;
  readonly stats: DurabilityStats = { blocking: 0, background: 0, joined: 0 };

  constructor(
    private readonly walPath: string,
    private readonly syncer: FileSyncer = fsSyncer,
  ) {}

  /** The next commit is writeTransaction's: it syncs through flush(). */
  deferNextCommit(): void {
    this.deferNext = true;
  }

  /** Undo deferNextCommit() when the commit did not happen (it failed). */
  cancelDeferral(): void {
    this.deferNext = false;
  }

  /** A statement that wrote or committed has just returned and no transaction is open. */
  committed(): void {
    if (this.deferNext) {
      this.deferNext = false;
      return;
    }
    if (this.failure) throw this.failure;
    this.stats.blocking++;
    try {
      this.syncer.syncNow(this.walFd());
    } catch (err) {
      throw this.fail(err);
    }
  }

  /** Resolves once a sync of the WAL that started after this call has finished. */
  flush(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.queued) {
      this.stats.joined++;
      return this.queued;
    }
    if (!this.running) return this.start();
    // The running sync may have begun before the caller's commit: queue one after it, which every
    // caller until it starts shares.
    const queued = this.running
      .catch(() => undefined)
      .then(() => {
        this.queued = null;
        return this.start();
      });
    this.queued = queued;
    return queued;
  }

  /** Close the WAL's file descriptor (the database connection is closed separately). */
  close(): void {
    const fd = this.fd;
    this.fd = null;
    if (fd === null) return;
    // A sync still running on the thread pool keeps its descriptor until it ends (closing it under
    // the sync could hand the number to another file).
    const pending = this.queued ?? this.running;
    if (pending) void pending.catch(() => undefined).then(() => closeSync(fd));
    else closeSync(fd);
  }

  private start(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    this.stats.background++;
    let fd: number;
    try {
      fd = this.walFd();
    } catch (err) {
      return Promise.reject(this.fail(err));
    }
    const run = this.syncer.syncLater(fd).then(
      () => {
        if (this.running === run) this.running = null;
      },
      (err: unknown) => {
        if (this.running === run) this.running = null;
        throw this.fail(err);
      },
    );
    this.running = run;
    return run;
  }

  // Opened on first use: the WAL exists from the first write on, and SQLite keeps the same file
  // (it rewinds it after a checkpoint) until the last connection to the database closes.
  private walFd(): number {
    if (this.fd === null) this.fd = openSync(this.walPath, 'r');
    return this.fd;
  }

  private fail(err: unknown): DurabilityError {
    this.failure ??= err instanceof DurabilityError ? err : new DurabilityError(err);
    return this.failure;
  }
}

const byDatabase = new WeakMap<Kysely<DB>, WalDurability>();

/** Tie a durability to the Kysely instance writeTransaction is called with. */
export function registerDurability(db: Kysely<DB>, durability: WalDurability): void {
  byDatabase.set(db, durability);
}

/**
 * The durability of a SQLite database opened by openDatabase, if `db` is its root instance. For any
 * other instance (a transaction, a `withPlugin` copy) there is none, and commits sync at once.
 */
export function durabilityOf(db: Kysely<DB>): WalDurability | undefined {
  return byDatabase.get(db);
}
