import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { describeContactsError } from './errors.ts';

/** Turns a failed contacts or groups call into a sentence in the current language. */
export function useContactsErrorText(): (err: unknown) => string {
  const { t } = useTranslation('contacts');
  return useCallback(
    (err: unknown) => {
      const { key, detail } = describeContactsError(err);
      return t(`errors.${key}`, { detail: detail ?? '' });
    },
    [t],
  );
}
