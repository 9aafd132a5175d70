import { ZhixinError } from '@zhixin/sdk';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';

/** A failed admin call in words: the catalog's message for known codes, with the code for support. */
export function useAdminErrorText(): (err: unknown) => string {
  const { t } = useTranslation('files');
  return useCallback(
    (err: unknown) => {
      if (!(err instanceof ZhixinError)) return t('admin.errorUnknown');
      const known = t(`admin.errors.${err.code}`, { defaultValue: '' });
      return known || t('admin.errorCode', { code: err.code });
    },
    [t],
  );
}
