import { ZhixinError } from '@zhixin/sdk';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { useErrorText } from '../auth/useErrorText.ts';

const CODE_ERRORS = new Set(['CODE_INVALID', 'CODE_EXPIRED', 'NOT_MEMBER', 'NOT_FOUND', 'FORBIDDEN']);

/** Security-code failures in words about QR codes; anything else as the sign-in screens say it. */
export function useCodeErrorText(): (err: unknown) => string {
  const { t } = useTranslation('codes');
  const general = useErrorText();
  return useCallback(
    (err: unknown) =>
      err instanceof ZhixinError && CODE_ERRORS.has(err.code) ? t(`errors.${err.code}`) : general(err),
    [t, general],
  );
}

/** A moment as the reader's language writes it (date and time, minutes). */
export function formatMoment(ms: number, language: string): string {
  return new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short' }).format(ms);
}
