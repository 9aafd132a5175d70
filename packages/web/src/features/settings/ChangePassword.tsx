import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { client } from '../../app/client.ts';
import { StrengthHint } from '../auth/fields.tsx';
import { PASSWORD_MAX } from '../auth/password.ts';
import { useErrorText } from '../auth/useErrorText.ts';
import { checkPassword } from '../auth/validate.ts';
import { TextInput } from './inputs.tsx';
import { SettingsDialog, SettingsRow, useNotice } from './ui.tsx';

type Field = 'old' | 'next' | 'confirm';
const EMPTY: Record<Field, string> = { old: '', next: '', confirm: '' };

/** Change my password (old, new, new again); the server logs my other devices out. */
export function ChangePassword() {
  const { t } = useTranslation('settings');
  const { t: tAuth } = useTranslation('auth');
  const errorText = useErrorText();
  const notice = useNotice();
  const [open, setOpen] = useState(false);
  const [values, setValues] = useState(EMPTY);
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [saving, setSaving] = useState(false);

  const set = (field: Field) => (value: string) => {
    setValues((v) => ({ ...v, [field]: value }));
    setErrors((e) => ({ ...e, [field]: undefined }));
  };
  const close = () => {
    setOpen(false);
    setValues(EMPTY);
    setErrors({});
  };

  const submit = async () => {
    const found: Partial<Record<Field, string>> = {};
    const oldProblem = checkPassword(values.old);
    const nextProblem = checkPassword(values.next);
    if (oldProblem) found.old = tAuth(`invalid.${oldProblem}`);
    if (nextProblem) found.next = tAuth(`invalid.${nextProblem}`);
    else if (values.next !== values.confirm) found.confirm = tAuth('invalid.confirmMismatch');
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    setSaving(true);
    try {
      await client.auth.changePassword(values.old, values.next);
      notice.success(t('account.passwordChanged'));
      close();
    } catch (err) {
      const text = errorText(err);
      setErrors(
        err instanceof Error && 'code' in err && err.code === 'INVALID_CREDENTIALS'
          ? { old: t('account.oldWrong') }
          : { confirm: text },
      );
    } finally {
      setSaving(false);
    }
  };

  return (
    <>
      <SettingsRow
        testId="change-password"
        label={t('account.changePassword')}
        description={t('account.changePasswordHint')}
        onClick={() => setOpen(true)}
      />
      <SettingsDialog
        open={open}
        title={t('account.changePassword')}
        confirmText={t('account.changePasswordConfirm')}
        confirmTestId="change-password-submit"
        loading={saving}
        onConfirm={() => void submit()}
        onCancel={close}
      >
        <form
          className="zx-set-form"
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
        >
          <TextInput
            testId="change-password-old"
            type="password"
            label={t('account.oldPassword')}
            autoComplete="current-password"
            maxLength={PASSWORD_MAX}
            value={values.old}
            onChange={set('old')}
            error={errors.old}
          />
          <TextInput
            testId="change-password-new"
            type="password"
            label={t('account.newPassword')}
            autoComplete="new-password"
            maxLength={PASSWORD_MAX}
            value={values.next}
            onChange={set('next')}
            error={errors.next}
          />
          {!errors.next && (
            <div className="zx-set-hint">
              <StrengthHint password={values.next} />
            </div>
          )}
          <TextInput
            testId="change-password-confirm"
            type="password"
            label={t('account.confirmPassword')}
            autoComplete="new-password"
            maxLength={PASSWORD_MAX}
            value={values.confirm}
            onChange={set('confirm')}
            error={errors.confirm}
          />
          <p className="zx-set-hint">{t('account.otherDevicesLoggedOut')}</p>
          <button type="submit" hidden />
        </form>
      </SettingsDialog>
    </>
  );
}
