import { Tabs } from 'antd';
import { Tabs as MobileTabs } from 'antd-mobile';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router';
import { client } from '../../app/client.ts';
import { useLayoutKind } from '../../app/layout.ts';
import { signedIn } from '../../app/session.ts';
import { QuickLoginPanel } from '../codes/QuickLoginPanel.tsx';
import { useClientSettings } from '../welcome/clientSettings.ts';
import { AuthField, FormNotice, SubmitButton } from './fields.tsx';
import { normalizePhone } from './phone.ts';
import { PhoneField, SmsCodeField } from './phone-code-fields.tsx';
import { useAuthForm } from './useAuthForm.ts';
import { checkCode, checkPassword, checkPhone } from './validate.ts';

/** `qr`: quick login by scanning a QR code with a signed-in phone (desktop only). */
type Method = 'password' | 'sms' | 'qr';

/** What the forgot-password page hands back to the login page. */
export interface LoginLocationState {
  passwordReset?: boolean;
  phone?: string;
}

function isLoginState(v: unknown): v is LoginLocationState {
  return typeof v === 'object' && v !== null;
}

/** Log in by phone and password, or by phone and SMS code. */
export function LoginPage() {
  const { t } = useTranslation('auth');
  const layout = useLayoutKind();
  const location = useLocation();
  const state = isLoginState(location.state) ? location.state : {};
  const registrationOpen = useClientSettings((s) => s.settings?.registrationOpen ?? true);
  const [method, setMethod] = useState<Method>('password');
  const form = useAuthForm({ phone: state.phone ?? '', password: '', code: '' }, 'phone', 'login');
  const { values, set, shown } = form;

  const submit = form.onSubmit(
    method === 'password'
      ? { phone: checkPhone, password: checkPassword }
      : { phone: checkPhone, code: checkCode },
    async () => {
      const phone = normalizePhone(values.phone);
      if (method === 'password') await client.auth.loginPassword(phone, values.password);
      else await client.auth.loginSms(phone, values.code);
      await signedIn();
    },
  );

  const tabs = [
    { key: 'password', label: <span data-testid="login-tab-password">{t('login.byPassword')}</span> },
    { key: 'sms', label: <span data-testid="login-tab-sms">{t('login.bySms')}</span> },
    ...(layout === 'desktop'
      ? [
          {
            key: 'qr',
            label: <span data-testid="quick-login-tab">{t('quickLogin.tab', { ns: 'codes' })}</span>,
          },
        ]
      : []),
  ];
  const switchTo = (key: string) => {
    setMethod(key === 'sms' || key === 'qr' ? key : 'password');
    form.clearErrors();
  };

  return (
    <form className="zx-auth-form" onSubmit={submit} noValidate>
      <h2 className="zx-auth-title">{t('login.title')}</h2>
      {layout === 'mobile' ? (
        <MobileTabs activeKey={method} onChange={switchTo} className="zx-m-auth-tabs">
          {tabs.map((tab) => (
            <MobileTabs.Tab key={tab.key} title={tab.label} />
          ))}
        </MobileTabs>
      ) : (
        <Tabs activeKey={method} onChange={switchTo} items={tabs} className="zx-auth-tabs" />
      )}
      {method === 'qr' && <QuickLoginPanel />}
      {method !== 'qr' && (
        <>
          {state.passwordReset && !form.formError && (
            <FormNotice type="success">{t('forgot.done')}</FormNotice>
          )}
          {form.formError && <FormNotice type="error">{form.formError}</FormNotice>}
          <PhoneField testId="login-phone" form={form} />
          {method === 'password' ? (
            <AuthField
              testId="login-password"
              label={t('field.password')}
              kind="password"
              autoComplete="current-password"
              value={values.password}
              onChange={set('password')}
              error={shown('password')}
            />
          ) : (
            <SmsCodeField testId="login-sms-code" sendTestId="login-sms-send" form={form} />
          )}
          <SubmitButton testId="login-submit" loading={form.submitting}>
            {t('login.submit')}
          </SubmitButton>
          <div className="zx-auth-links">
            {method === 'password' ? (
              <Link to="/forgot" data-testid="link-forgot" state={{ phone: values.phone }}>
                {t('login.forgot')}
              </Link>
            ) : (
              <span />
            )}
            {registrationOpen && (
              <Link to="/register" data-testid="link-register">
                {t('login.register')}
              </Link>
            )}
          </div>
          {!registrationOpen && <p className="zx-auth-note">{t('register.closed')}</p>}
        </>
      )}
    </form>
  );
}
