import { Alert, Button, Input } from 'antd';
import { Button as MobileButton } from 'antd-mobile';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useLayoutKind } from '../../app/layout.ts';
import { passwordStrength } from './password.ts';
import type { SmsSender } from './useSmsSender.ts';

/*
 * The sign-in forms are written once; these fields draw them with antd on the desktop and with
 * antd-mobile styling on phones. Mobile inputs are native <input>s so their data-testid lands on
 * the element people (and tests) type into.
 */

interface FieldProps {
  testId: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  /** An already translated problem with the value. */
  error?: string | undefined;
  kind?: 'text' | 'tel' | 'password' | 'code';
  placeholder?: string;
  autoComplete?: string;
  maxLength?: number;
  /** Shown under the field when there is no error (e.g. the password strength). */
  hint?: ReactNode;
  /** Sits at the right of the input (the "send code" button). */
  addon?: ReactNode;
}

export function AuthField(props: FieldProps) {
  const layout = useLayoutKind();
  const { t } = useTranslation('auth');
  const {
    testId,
    label,
    value,
    onChange,
    error,
    kind = 'text',
    placeholder,
    autoComplete,
    maxLength,
  } = props;
  const common = {
    'data-testid': testId,
    value,
    placeholder: placeholder ?? t('placeholder', { label }),
    autoComplete,
    maxLength,
    'aria-label': label,
    'aria-invalid': error ? true : undefined,
    inputMode: kind === 'tel' ? ('tel' as const) : kind === 'code' ? ('numeric' as const) : undefined,
  };
  const below = error ? (
    <div className="zx-auth-field-error" role="alert">
      {error}
    </div>
  ) : props.hint ? (
    <div className="zx-auth-field-hint">{props.hint}</div>
  ) : null;

  if (layout === 'mobile') {
    return (
      <div className="zx-m-field-wrap">
        <div className={error ? 'zx-m-field zx-m-field-error' : 'zx-m-field'}>
          <span className="zx-m-field-label">{label}</span>
          <input
            {...common}
            className="zx-m-input"
            type={kind === 'password' ? 'password' : kind === 'tel' ? 'tel' : 'text'}
            onChange={(e) => onChange(e.target.value)}
          />
          {props.addon}
        </div>
        {below}
      </div>
    );
  }
  const status = error ? ('error' as const) : undefined;
  const input =
    kind === 'password' ? (
      <Input.Password {...common} size="large" status={status} onChange={(e) => onChange(e.target.value)} />
    ) : (
      <Input
        {...common}
        size="large"
        status={status}
        type={kind === 'tel' ? 'tel' : 'text'}
        onChange={(e) => onChange(e.target.value)}
      />
    );
  return (
    <div className="zx-auth-field">
      {props.addon ? (
        <div className="zx-auth-field-row">
          {input}
          {props.addon}
        </div>
      ) : (
        input
      )}
      {below}
    </div>
  );
}

/** "Get code", then a countdown until another may be asked for. */
export function SendCodeButton({
  testId,
  sender,
  onSend,
}: {
  testId: string;
  sender: SmsSender;
  onSend: () => void;
}) {
  const { t } = useTranslation('auth');
  const layout = useLayoutKind();
  const label = sender.remaining > 0 ? t('resendIn', { count: sender.remaining }) : t('sendCode');
  const disabled = sender.remaining > 0;
  if (layout === 'mobile')
    return (
      <MobileButton
        data-testid={testId}
        className="zx-m-send-code"
        fill="none"
        color="primary"
        size="small"
        disabled={disabled}
        loading={sender.sending}
        onClick={onSend}
      >
        {label}
      </MobileButton>
    );
  return (
    <Button
      data-testid={testId}
      size="large"
      className="zx-auth-send-code"
      disabled={disabled}
      loading={sender.sending}
      onClick={onSend}
    >
      {label}
    </Button>
  );
}

export function SubmitButton({
  testId,
  loading,
  children,
}: {
  testId: string;
  loading: boolean;
  children: ReactNode;
}) {
  const layout = useLayoutKind();
  if (layout === 'mobile')
    return (
      <MobileButton data-testid={testId} type="submit" block color="primary" size="large" loading={loading}>
        {children}
      </MobileButton>
    );
  return (
    <Button data-testid={testId} type="primary" htmlType="submit" block size="large" loading={loading}>
      {children}
    </Button>
  );
}

/** A form-level message: the server's answer in words, or a success note. */
export function FormNotice({ type, children }: { type: 'error' | 'success'; children: ReactNode }) {
  const layout = useLayoutKind();
  if (layout === 'mobile')
    return (
      <div className={`zx-m-notice zx-m-notice-${type}`} role={type === 'error' ? 'alert' : 'status'}>
        {children}
      </div>
    );
  return <Alert className="zx-auth-notice" type={type} showIcon title={children} role="alert" />;
}

/** The strength of a new password, in words, while it is typed. */
export function StrengthHint({ password }: { password: string }) {
  const { t } = useTranslation('auth');
  if (!password) return <>{t('strength.rule')}</>;
  const strength = passwordStrength(password);
  return <span className={`zx-strength zx-strength-${strength}`}>{t(`strength.${strength}`)}</span>;
}
