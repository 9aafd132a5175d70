import { App, Button, Input, Switch, type ButtonProps } from 'antd';
import { Button as MobileButton, Dialog, Switch as MobileSwitch, Toast } from 'antd-mobile';
import { useCallback, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useLayoutKind } from '../../app/layout.ts';

/*
 * The contacts screens are written once; these controls draw them with antd on the desktop and
 * antd-mobile on phones. Mobile text inputs are native <input>s so their data-testid lands on the
 * element people (and tests) type into.
 */

interface ActionButtonProps {
  children: ReactNode;
  onClick: () => void;
  testId?: string;
  kind?: 'primary' | 'default' | 'danger';
  loading?: boolean;
  disabled?: boolean;
  /** Full width (the usual on phones). */
  block?: boolean;
  icon?: ReactNode;
  /** Smaller, for title bars. */
  small?: boolean;
}

export function ActionButton({
  children,
  onClick,
  testId,
  kind = 'default',
  loading,
  disabled,
  block,
  icon,
  small,
}: ActionButtonProps) {
  const layout = useLayoutKind();
  if (layout === 'mobile')
    return (
      <MobileButton
        data-testid={testId}
        color={kind === 'primary' ? 'primary' : kind === 'danger' ? 'danger' : 'default'}
        fill={kind === 'danger' ? 'outline' : 'solid'}
        block={block}
        size={small ? 'small' : undefined}
        loading={loading}
        disabled={disabled}
        onClick={onClick}
      >
        {icon}
        {icon ? ' ' : null}
        {children}
      </MobileButton>
    );
  return (
    <Button
      data-testid={testId}
      type={kind === 'primary' ? 'primary' : 'default'}
      danger={kind === 'danger'}
      block={block}
      size={small ? 'small' : undefined}
      loading={loading}
      disabled={disabled}
      icon={icon}
      onClick={onClick}
    >
      {children}
    </Button>
  );
}

interface TextInputProps {
  value: string;
  onChange: (value: string) => void;
  testId?: string;
  placeholder?: string;
  maxLength?: number;
  type?: 'text' | 'tel' | 'search';
  autoFocus?: boolean;
  onEnter?: () => void;
  /** What screen readers call the field when there is no visible label. */
  label?: string;
}

export function TextInput({
  value,
  onChange,
  testId,
  placeholder,
  maxLength,
  type = 'text',
  autoFocus,
  onEnter,
  label,
}: TextInputProps) {
  const layout = useLayoutKind();
  const common = {
    'data-testid': testId,
    value,
    placeholder,
    maxLength,
    autoFocus,
    'aria-label': label ?? placeholder,
    inputMode: type === 'tel' ? ('tel' as const) : undefined,
    onKeyDown: (e: React.KeyboardEvent<HTMLInputElement>) => {
      if (e.key === 'Enter' && !e.nativeEvent.isComposing) onEnter?.();
    },
  };
  if (layout === 'mobile')
    return (
      <input
        {...common}
        className="zx-ct-m-input"
        type={type === 'tel' ? 'tel' : 'text'}
        enterKeyHint={onEnter ? 'done' : undefined}
        onChange={(e) => onChange(e.target.value)}
      />
    );
  return (
    <Input
      {...common}
      allowClear
      type={type === 'tel' ? 'tel' : 'text'}
      onChange={(e) => onChange(e.target.value)}
    />
  );
}

export function Toggle({
  checked,
  onChange,
  testId,
  label,
}: {
  checked: boolean;
  onChange: (on: boolean) => void;
  testId?: string;
  label: string;
}) {
  const layout = useLayoutKind();
  if (layout === 'mobile')
    return <MobileSwitch data-testid={testId} checked={checked} onChange={onChange} aria-label={label} />;
  return <Switch data-testid={testId} checked={checked} onChange={onChange} aria-label={label} />;
}

interface ConfirmOptions {
  title: string;
  content: string;
  okText: string;
  danger?: boolean;
}

/** A confirm dialog in the layout's style; resolves true when confirmed. */
export function useConfirm(): (options: ConfirmOptions) => Promise<boolean> {
  const layout = useLayoutKind();
  const { modal } = App.useApp();
  const { t } = useTranslation();
  return useCallback(
    (o: ConfirmOptions) => {
      if (layout === 'mobile')
        return Dialog.confirm({
          title: o.title,
          content: o.content,
          confirmText: <span data-testid="confirm-ok">{o.okText}</span>,
          cancelText: t('cancel'),
        });
      return new Promise<boolean>((resolve) => {
        modal.confirm({
          title: o.title,
          content: o.content,
          okText: o.okText,
          cancelText: t('cancel'),
          okButtonProps: { danger: o.danger, 'data-testid': 'confirm-ok' } as ButtonProps,
          onOk: () => resolve(true),
          onCancel: () => resolve(false),
        });
      });
    },
    [layout, modal, t],
  );
}

/** A short notice in the layout's style. */
export function useNotice(): (text: string, kind?: 'success' | 'error') => void {
  const layout = useLayoutKind();
  const { message } = App.useApp();
  return useCallback(
    (text: string, kind: 'success' | 'error' = 'success') => {
      if (layout === 'mobile') Toast.show({ content: text, icon: kind === 'success' ? 'success' : 'fail' });
      else if (kind === 'success') void message.success(text);
      else void message.error(text);
    },
    [layout, message],
  );
}
