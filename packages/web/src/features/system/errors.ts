import { ZhixinError } from '@zhixin/sdk';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';

/** A failed console call in words: known codes by name, others with the code for support. */
export function useSystemErrorText(): (err: unknown) => string {
  const { t } = useTranslation('system');
  return useCallback(
    (err: unknown) => {
      if (!(err instanceof ZhixinError)) return t('errorUnknown');
      const known = t(`errors.${err.code}`, { defaultValue: '' });
      return known || t('errorCode', { code: err.code });
    },
    [t],
  );
}
