import { ZhixinError } from '@zhixin/sdk';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { TextInput } from '../settings/inputs.tsx';
import { ACCOUNT_PATTERN, saveAccount } from '../settings/profile.ts';
import { SettingsDialog, useNotice } from '../settings/ui.tsx';
import './friends.css';

interface AccountDialogProps {
  open: boolean;
  initial: string;
  onClose: () => void;
}

/** Set my 致信号: checked here with the server's rule; a handle someone else holds says so. */
export function AccountDialog({ open, initial, onClose }: AccountDialogProps) {
  const { t } = useTranslation('friends');
  const notice = useNotice();
  const [value, setValue] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    if (open) {
      setValue(initial);
      setError(null);
    }
  }, [open, initial]);

  const submit = async () => {
    const account = value.trim();
    if (!ACCOUNT_PATTERN.test(account)) return setError(t('account.invalid'));
    setSaving(true);
    try {
      await saveAccount(account);
      notice.success(t('account.saved'));
      onClose();
    } catch (err) {
      const code = err instanceof ZhixinError ? err.code : '';
      setError(
        code === 'ACCOUNT_TAKEN'
          ? t('account.taken')
          : code === 'VALIDATION_FAILED'
            ? t('account.invalid')
            : t('errors.failed'),
      );
    } finally {
      setSaving(false);
    }
  };

  return (
    <SettingsDialog
      open={open}
      title={t('account.title')}
      confirmText={t('account.set')}
      confirmTestId="account-save"
      loading={saving}
      onConfirm={() => void submit()}
      onCancel={onClose}
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <TextInput
          testId="account-input"
          label={t('account.label')}
          value={value}
          onChange={(v) => {
            setValue(v);
            setError(null);
          }}
          maxLength={20}
          autoFocus
          error={error ?? undefined}
        />
        <p className="zx-fr-preview">{t('account.hint')}</p>
      </form>
    </SettingsDialog>
  );
}
