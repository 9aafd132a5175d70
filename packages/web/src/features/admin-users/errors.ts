import { ZhixinError } from '@zhixin/sdk';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';

const KNOWN = new Set([
  'FORBIDDEN',
  'NOT_FOUND',
  'LAST_ADMIN',
  'LICENSE_EXHAUSTED',
  'LICENSE_EXPIRED',
  'LICENSE_INVALID',
  'GROUP_DISSOLVED',
  'VALIDATION_FAILED',
]);
const NETWORK = new Set(['TIMEOUT', 'NETWORK_ERROR', 'CONNECTION_CLOSED', 'UNAVAILABLE']);

/** Turns a failed console call into a sentence in the current language. */
export function useAdminErrorText(): (err: unknown) => string {
  const { t } = useTranslation('adminUsers');
  return useCallback(
    (err: unknown) => {
      if (err instanceof ZhixinError) {
        if (KNOWN.has(err.code)) return t(`errors.${err.code}`);
        if (NETWORK.has(err.code)) return t('errors.network');
        return t('errors.unknown', { detail: err.message });
      }
      return t('errors.unknown', { detail: err instanceof Error ? err.message : String(err) });
    },
    [t],
  );
}

/** A time as the console shows it, or the word for "never". */
export function formatTime(ms: number | null, never: string): string {
  return ms === null ? never : new Date(ms).toLocaleString();
}
