import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate } from 'react-router';
import { client } from '../../app/client.ts';
import { AuthField, FormNotice, StrengthHint, SubmitButton } from './fields.tsx';
import type { LoginLocationState } from './LoginPage.tsx';
import { PASSWORD_MAX } from './password.ts';
import { normalizePhone } from './phone.ts';
import { PhoneField, SmsCodeField } from './phone-code-fields.tsx';
import { useAuthForm } from './useAuthForm.ts';
import { checkCode, checkPassword, checkPhone } from './validate.ts';

function phoneFrom(state: unknown): string {
  if (typeof state === 'object' && state !== null && 'phone' in state && typeof state.phone === 'string')
    return state.phone;
  return '';
}

/** Set a new password with an SMS code, then back to the login page. */
export function ForgotPage() {
  const { t } = useTranslation('auth');
  const navigate = useNavigate();
  const location = useLocation();
  const form = useAuthForm(
    { phone: phoneFrom(location.state), code: '', password: '' },
    'phone',
    'reset_password',
  );
  const { values, set, shown } = form;

  const submit = form.onSubmit({ phone: checkPhone, code: checkCode, password: checkPassword }, async () => {
    const phone = normalizePhone(values.phone);
    await client.auth.resetPassword({ phone, code: values.code, password: values.password });
    const back: LoginLocationState = { passwordReset: true, phone };
    await navigate('/login', { replace: true, state: back });
  });

  return (
    <form className="zx-auth-form" onSubmit={submit} noValidate>
      <h2 className="zx-auth-title">{t('forgot.title')}</h2>
      <p className="zx-auth-note">{t('forgot.explain')}</p>
      {form.formError && <FormNotice type="error">{form.formError}</FormNotice>}
      <PhoneField testId="forgot-phone" form={form} />
      <SmsCodeField testId="forgot-code" sendTestId="forgot-sms-send" form={form} />
      <AuthField
        testId="forgot-password"
        label={t('field.newPassword')}
        kind="password"
        autoComplete="new-password"
        maxLength={PASSWORD_MAX}
        value={values.password}
        onChange={set('password')}
        error={shown('password')}
        hint={<StrengthHint password={values.password} />}
      />
      <SubmitButton testId="forgot-submit" loading={form.submitting}>
        {t('forgot.submit')}
      </SubmitButton>
      <div className="zx-auth-links zx-auth-links-center">
        <Link to="/login" data-testid="link-login">
          {t('forgot.toLogin')}
        </Link>
      </div>
    </form>
  );
}
