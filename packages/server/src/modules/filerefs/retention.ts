import type { RetentionPolicy } from '@zhixin/protocol';
import type { Logger } from '../../platform/logger.ts';
import type { FilesService } from '../files/index.ts';
import type { FileMessageRef } from '../messages/index.ts';
import type { FileRefsRepo } from './filerefs.repo.ts';

export const DAY_MS = 86_400_000;
/** Files expired per round; a run goes on while rounds come back full. */
const BATCH = 200;
const MAX_ROUNDS = 50;

/** The retention class of a file: the kind of the conversation it was uploaded for (`none`: no conversation). */
export type RetentionClass = 'direct' | 'group' | 'self' | 'none';

/** Days a file of this class is kept (0: forever); a class without its own setting uses the default. */
export function retentionDays(policy: RetentionPolicy, cls: RetentionClass): number {
  const specific =
    cls === 'direct'
      ? policy.directDays
      : cls === 'group'
        ? policy.groupDays
        : cls === 'self'
          ? policy.selfDays
          : null;
  return specific ?? policy.defaultDays;
}

/** When a file created at `createdAt` expires (null: kept until deleted). For `FileInfo.expiresAt`. */
export function fileExpiresAt(
  createdAt: number,
  cls: RetentionClass,
  policy: RetentionPolicy,
): number | null {
  const days = retentionDays(policy, cls);
  return days === 0 ? null : createdAt + days * DAY_MS;
}

export interface RetentionDeps {
  files: FilesService;
  repo: FileRefsRepo;
  markFilesExpired: (refs: readonly FileMessageRef[]) => Promise<number>;
  log: Pick<Logger, 'info'>;
}

export interface RetentionRun {
  files: number;
  messages: number;
}

/**
 * One run of the retention job (R-M3): files past their class's days have their blobs removed
 * (FilesService.expire, with evidence) and the messages carrying them become "file expired".
 */
export async function runRetention(d: RetentionDeps, now: number): Promise<RetentionRun> {
  const policy = (await d.files.settings()).retention;
  const cutoff = (cls: RetentionClass) => {
    const days = retentionDays(policy, cls);
    // 0 means forever; the files service looks at no file for a cutoff of 0.
    return days === 0 ? 0 : now - days * DAY_MS;
  };
  const total: RetentionRun = { files: 0, messages: 0 };
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const due = await d.files.expiredCandidates(cutoff, BATCH);
    if (due.length === 0) break;
    // Messages first: should the run stop between the two steps, the files are still due next time.
    total.messages += await d.markFilesExpired(await d.repo.messagesOf(due));
    const expired = await d.files.expire(due);
    total.files += expired.length;
    if (due.length < BATCH || expired.length === 0) break;
  }
  if (total.files > 0) d.log.info(total, 'retention: files expired');
  return total;
}
