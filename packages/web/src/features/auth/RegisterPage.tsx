import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { client } from '../../app/client.ts';
import { signedIn } from '../../app/session.ts';
import { useClientSettings } from '../welcome/clientSettings.ts';
import { AuthField, FormNotice, StrengthHint, SubmitButton } from './fields.tsx';
import { PASSWORD_MAX } from './password.ts';
import { normalizePhone } from './phone.ts';
import { PhoneField, SmsCodeField } from './phone-code-fields.tsx';
import { useAuthForm } from './useAuthForm.ts';
import { checkCode, checkNickname, checkPassword, checkPhone } from './validate.ts';

/** Create an account: phone, SMS code, nickname and password; signs in when done. */
export function RegisterPage() {
  const { t } = useTranslation('auth');
  const registrationOpen = useClientSettings((s) => s.settings?.registrationOpen ?? true);
  const form = useAuthForm({ phone: '', code: '', nickname: '', password: '' }, 'phone', 'register');
  const { values, set, shown } = form;

  const submit = form.onSubmit(
    { phone: checkPhone, code: checkCode, nickname: checkNickname, password: checkPassword },
    async () => {
      await client.auth.register({
        phone: normalizePhone(values.phone),
        code: values.code,
        nickname: values.nickname.trim(),
        password: values.password,
      });
      await signedIn();
    },
  );

  if (!registrationOpen)
    return (
      <div className="zx-auth-form">
        <h2 className="zx-auth-title">{t('register.title')}</h2>
        <FormNotice type="error">{t('register.closed')}</FormNotice>
        <div className="zx-auth-links zx-auth-links-center">
          <Link to="/login" data-testid="link-login">
            {t('register.toLogin')}
          </Link>
        </div>
      </div>
    );

  return (
    <form className="zx-auth-form" onSubmit={submit} noValidate>
      <h2 className="zx-auth-title">{t('register.title')}</h2>
      {form.formError && <FormNotice type="error">{form.formError}</FormNotice>}
      <PhoneField testId="register-phone" form={form} />
      <SmsCodeField testId="register-code" sendTestId="register-sms-send" form={form} />
      <AuthField
        testId="register-nickname"
        label={t('field.nickname')}
        autoComplete="nickname"
        maxLength={32}
        value={values.nickname}
        onChange={set('nickname')}
        error={shown('nickname')}
      />
      <AuthField
        testId="register-password"
        label={t('field.password')}
        kind="password"
        autoComplete="new-password"
        maxLength={PASSWORD_MAX}
        value={values.password}
        onChange={set('password')}
        error={shown('password')}
        hint={<StrengthHint password={values.password} />}
      />
      <SubmitButton testId="register-submit" loading={form.submitting}>
        {t('register.submit')}
      </SubmitButton>
      <div className="zx-auth-links zx-auth-links-center">
        <span>
          {t('register.haveAccount')}{' '}
          <Link to="/login" data-testid="link-login">
            {t('register.toLogin')}
          </Link>
        </span>
      </div>
    </form>
  );
}
