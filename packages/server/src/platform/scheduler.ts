import type { Kysely } from 'kysely';
import type { DB } from './db/index.ts';
import type { Logger } from './logger.ts';

export interface ScheduledJob {
  /** Stop ticking (an in-flight run finishes on its own). */
  stop(): void;
}

export interface JobOptions {
  db: Kysely<DB>;
  log: Logger;
  /** Unique per job: the lease row's key. */
  name: string;
  /** This process, as recorded in the lease. */
  holder: string;
  intervalMs: number;
  run(): Promise<unknown>;
  now?: () => number;
}

/**
 * Claim the job's lease for one interval: true when this process holds it now. A single upsert, so
 * of several nodes ticking at once exactly one wins; the holder renews its own lease, and another
 * node takes over only once it has run out (the holder stopped or died).
 */
export async function claimLease(
  db: Kysely<DB>,
  name: string,
  holder: string,
  ttlMs: number,
  now: number,
): Promise<boolean> {
  const expires = now + ttlMs;
  const row = await db
    .insertInto('job_leases')
    .values({ name, holder, expires_at: expires })
    .onConflict((oc) =>
      oc
        .column('name')
        .doUpdateSet({ holder, expires_at: expires })
        .where((eb) => eb.or([eb('job_leases.holder', '=', holder), eb('job_leases.expires_at', '<=', now)])),
    )
    .returning('name')
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Run `run` every `intervalMs` on whichever node holds the job's lease (a DB row), so a cluster runs
 * it once per interval. Ticks never overlap; errors are logged and the next tick tries again.
 */
export function scheduleJob(opts: JobOptions): ScheduledJob {
  const now = opts.now ?? Date.now;
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      if (await claimLease(opts.db, opts.name, opts.holder, opts.intervalMs, now())) await opts.run();
    } catch (err) {
      opts.log.error({ err, job: opts.name }, 'scheduled job failed');
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void tick(), opts.intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
