import { ZhixinError } from '@zhixin/sdk';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';

/** A failure as a sentence in the current language: the code's own text, else a generic one. */
export function useMomentsErrorText(): (err: unknown) => string {
  const { t } = useTranslation('moments');
  return useCallback(
    (err: unknown) => {
      const e = ZhixinError.from(err);
      return t(`errors.${e.code}`, { defaultValue: '' }) || t('errors.generic', { message: e.message });
    },
    [t],
  );
}
