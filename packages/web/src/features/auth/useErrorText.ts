import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError, splitWait } from './errors.ts';

/** Turns a failure into a sentence in the current language (see errors.ts for the mapping). */
export function useErrorText(): (err: unknown) => string {
  const { t } = useTranslation('auth');
  return useCallback(
    (err: unknown) => {
      const d = describeError(err);
      if (d.waitSeconds !== undefined) {
        const { count, unit } = splitWait(d.waitSeconds);
        return t(`errors.${d.key}Wait`, { time: t(`wait.${unit}`, { count }) });
      }
      return t(`errors.${d.key}`, { detail: d.detail ?? '' });
    },
    [t],
  );
}
