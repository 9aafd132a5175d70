import { App as AntApp, Button, Modal, Switch } from 'antd';
import { Button as MobileButton, CenterPopup, List, Switch as MobileSwitch } from 'antd-mobile';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useLayoutKind } from '../../app/layout.ts';

/*
 * The settings sections are written once from these pieces: antd on the desktop, antd-mobile on
 * phones (lists, switches, dialogs), with the same data-testids in both.
 */

/** A titled block of rows. */
export function SettingsGroup({
  title,
  children,
  testId,
}: {
  title?: string;
  children: ReactNode;
  testId?: string;
}) {
  const layout = useLayoutKind();
  if (layout === 'mobile')
    return (
      <div className="zx-m-group" data-testid={testId}>
        <List header={title} mode="card">
          {children}
        </List>
      </div>
    );
  return (
    <section className="zx-set-group" data-testid={testId}>
      {title && <h3 className="zx-set-group-title">{title}</h3>}
      <div className="zx-set-group-body">{children}</div>
    </section>
  );
}

interface RowProps {
  label: ReactNode;
  /** Under the label, smaller. */
  description?: ReactNode;
  /** The value or control at the right. */
  extra?: ReactNode;
  onClick?: () => void;
  testId?: string;
  prefix?: ReactNode;
}

export function SettingsRow({ label, description, extra, onClick, testId, prefix }: RowProps) {
  const layout = useLayoutKind();
  if (layout === 'mobile')
    return (
      <List.Item
        prefix={prefix}
        description={description}
        extra={extra}
        onClick={onClick}
        clickable={Boolean(onClick)}
        arrowIcon={onClick ? undefined : false}
        data-testid={testId}
      >
        {label}
      </List.Item>
    );
  return (
    <div
      className={onClick ? 'zx-set-row zx-set-row-clickable' : 'zx-set-row'}
      data-testid={testId}
      onClick={onClick}
      role={onClick ? 'button' : undefined}
      tabIndex={onClick ? 0 : undefined}
      onKeyDown={onClick ? (e) => e.key === 'Enter' && onClick() : undefined}
    >
      {prefix && <div className="zx-set-row-prefix">{prefix}</div>}
      <div className="zx-set-row-main">
        <div className="zx-set-row-label">{label}</div>
        {description && <div className="zx-set-row-desc">{description}</div>}
      </div>
      {extra !== undefined && <div className="zx-set-row-extra">{extra}</div>}
    </div>
  );
}

export function SettingsSwitch({
  checked,
  onChange,
  testId,
  label,
  disabled,
}: {
  checked: boolean;
  onChange: (on: boolean) => void;
  testId: string;
  label: string;
  disabled?: boolean;
}) {
  const layout = useLayoutKind();
  if (layout === 'mobile')
    return (
      <MobileSwitch
        data-testid={testId}
        checked={checked}
        onChange={onChange}
        disabled={disabled}
        aria-label={label}
      />
    );
  return (
    <Switch
      data-testid={testId}
      checked={checked}
      onChange={onChange}
      disabled={disabled}
      aria-label={label}
    />
  );
}

interface DialogProps {
  open: boolean;
  title: ReactNode;
  children?: ReactNode;
  confirmText: ReactNode;
  confirmTestId?: string;
  danger?: boolean;
  loading?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}

/** A confirm (or small form) dialog: antd Modal on the desktop, a centred popup on phones. */
export function SettingsDialog(props: DialogProps) {
  const { t } = useTranslation();
  const layout = useLayoutKind();
  const { open, title, children, confirmText, confirmTestId, danger, loading, onConfirm, onCancel } = props;
  if (layout === 'mobile')
    return (
      <CenterPopup visible={open} onMaskClick={onCancel} destroyOnClose className="zx-m-dialog-popup">
        <div className="zx-m-dialog">
          <div className="zx-m-dialog-title">{title}</div>
          {children && <div className="zx-m-dialog-body">{children}</div>}
          <div className="zx-m-dialog-actions">
            <MobileButton fill="none" onClick={onCancel}>
              {t('cancel')}
            </MobileButton>
            <MobileButton
              fill="none"
              color={danger ? 'danger' : 'primary'}
              loading={loading}
              onClick={onConfirm}
              data-testid={confirmTestId}
            >
              {confirmText}
            </MobileButton>
          </div>
        </div>
      </CenterPopup>
    );
  return (
    <Modal
      open={open}
      title={title}
      onCancel={onCancel}
      destroyOnHidden
      width={420}
      footer={[
        <Button key="cancel" onClick={onCancel}>
          {t('cancel')}
        </Button>,
        <Button
          key="ok"
          type="primary"
          danger={danger}
          loading={loading}
          onClick={onConfirm}
          data-testid={confirmTestId}
        >
          {confirmText}
        </Button>,
      ]}
    >
      {children}
    </Modal>
  );
}

/** Short confirmations and failures, shown the same way in both layouts. */
export function useNotice(): { success: (text: string) => void; error: (text: string) => void } {
  const { message } = AntApp.useApp();
  return {
    success: (text) => void message.success(text),
    error: (text) => void message.error(text),
  };
}
