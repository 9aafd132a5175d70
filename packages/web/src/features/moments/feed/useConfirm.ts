import { App } from 'antd';
import { Dialog } from 'antd-mobile';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { useLayoutKind } from '../../../app/layout.ts';

/** Ask before something that cannot be undone: an antd dialog on the desktop, antd-mobile's on the phone. */
export function useConfirm(): (title: string, okText: string) => Promise<boolean> {
  const { t } = useTranslation('moments');
  const { modal } = App.useApp();
  const mobile = useLayoutKind() === 'mobile';
  return useCallback(
    (title: string, okText: string) =>
      mobile
        ? Dialog.confirm({ content: title, confirmText: okText, cancelText: t('cancel') })
        : new Promise<boolean>((resolve) =>
            modal.confirm({
              title,
              okText,
              okButtonProps: { danger: true },
              cancelText: t('cancel'),
              onOk: () => resolve(true),
              onCancel: () => resolve(false),
            }),
          ),
    [mobile, modal, t],
  );
}
