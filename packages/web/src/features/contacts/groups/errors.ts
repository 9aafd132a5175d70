import { ZhixinError } from '@zhixin/sdk';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';

const KNOWN = new Set([
  'MEMBER_MUTED',
  'GROUP_DISSOLVED',
  'OWNER_MUST_TRANSFER',
  'FORBIDDEN',
  'NOT_MEMBER',
  'CODE_INVALID',
  'CODE_EXPIRED',
  'GROUP_FULL',
  'NOT_FOUND',
]);
const NETWORK = new Set(['TIMEOUT', 'NETWORK_ERROR', 'CONNECTION_CLOSED', 'UNAVAILABLE']);

/** The `groups` namespace key for a failed group call, and the server's text when we have none. */
export function groupErrorKey(err: unknown): { key: string; detail?: string } {
  if (err instanceof ZhixinError) {
    if (KNOWN.has(err.code)) return { key: err.code };
    if (NETWORK.has(err.code)) return { key: 'network' };
    return { key: 'unknown', detail: err.message };
  }
  return { key: 'unknown', detail: err instanceof Error ? err.message : String(err) };
}

/** Turns a failed group call into a sentence in the current language. */
export function useGroupsErrorText(): (err: unknown) => string {
  const { t } = useTranslation('groups');
  return useCallback(
    (err: unknown) => {
      const { key, detail } = groupErrorKey(err);
      return t(`errors.${key}`, { detail: detail ?? '' });
    },
    [t],
  );
}
