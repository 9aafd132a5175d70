import type { Message } from '@zhixin/protocol';
import { AppError } from '../../errors.ts';
import type { Membership } from '../conversations/index.ts';

/** Deduplicate mentions and check them: members only, and `all` only in groups. */
export function normalizeMentions(
  mentions: readonly string[] | undefined,
  membership: Membership,
): Message['mentions'] {
  if (!mentions || mentions.length === 0) return [];
  const unique = [...new Set(mentions)];
  if (unique.includes('all') && membership.kind !== 'group') {
    throw AppError.validation([{ path: '/mentions', message: "'all' may be mentioned only in groups" }]);
  }
  const strangers = unique.filter((m) => m !== 'all' && !membership.has(m));
  if (strangers.length > 0) {
    throw new AppError('VALIDATION_FAILED', [
      { path: '/mentions', message: 'mentioned users must be members', userIds: strangers },
    ]);
  }
  return unique;
}
