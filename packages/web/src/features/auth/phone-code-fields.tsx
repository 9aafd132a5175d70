import { useTranslation } from 'react-i18next';
import { AuthField, SendCodeButton } from './fields.tsx';
import type { AuthForm } from './useAuthForm.ts';

/** The phone number field that login, registration and password reset share. */
export function PhoneField({ testId, form }: { testId: string; form: AuthForm<'phone'> }) {
  const { t } = useTranslation('auth');
  return (
    <AuthField
      testId={testId}
      label={t('field.phone')}
      kind="tel"
      autoComplete="tel"
      value={form.values.phone}
      onChange={form.set('phone')}
      error={form.shown('phone')}
    />
  );
}

/** The SMS code field with its send button (SMS login, registration, password reset). */
export function SmsCodeField({
  testId,
  sendTestId,
  form,
}: {
  testId: string;
  sendTestId: string;
  form: AuthForm<'code'>;
}) {
  const { t } = useTranslation('auth');
  return (
    <AuthField
      testId={testId}
      label={t('field.code')}
      kind="code"
      autoComplete="one-time-code"
      maxLength={6}
      value={form.values.code}
      onChange={form.set('code')}
      error={form.shown('code')}
      addon={<SendCodeButton testId={sendTestId} sender={form.sender} onSend={form.sendCode} />}
    />
  );
}
