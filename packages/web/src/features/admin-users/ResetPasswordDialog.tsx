import type { AdminUser } from '@zhixin/sdk';
import { App, Button, Input, Modal, Radio, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { client } from '../../app/client.ts';
import { useAdminErrorText } from './errors.ts';

export interface ResetPasswordDialogProps {
  user: AdminUser;
  open: boolean;
  onClose: () => void;
}

/** Reset a password: a generated one-time password (shown once, with copy) or one the operator sets. */
export function ResetPasswordDialog({ user, open, onClose }: ResetPasswordDialogProps) {
  const { t } = useTranslation('adminUsers');
  const { message } = App.useApp();
  const errorText = useAdminErrorText();
  const [mode, setMode] = useState<'generate' | 'set'>('generate');
  const [password, setPassword] = useState('');
  const [generated, setGenerated] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const close = () => {
    // The one-time password is forgotten with the dialog: it is never shown again.
    setGenerated(null);
    setPassword('');
    setMode('generate');
    onClose();
  };

  const submit = async () => {
    setBusy(true);
    try {
      const res = await client.admin.resetPassword(user.id, mode === 'set' ? password : undefined);
      if (res.password !== null) setGenerated(res.password);
      else {
        void message.success(t('reset.setDone'));
        close();
      }
    } catch (err) {
      void message.error(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  if (generated !== null) {
    return (
      <Modal
        open={open}
        title={t('reset.generatedTitle')}
        onCancel={close}
        footer={
          <Button onClick={close} data-testid="admin-reset-done">
            {t('common.confirm')}
          </Button>
        }
      >
        <Typography.Paragraph type="warning">{t('reset.generatedHint')}</Typography.Paragraph>
        <Typography.Paragraph
          className="zx-au-password"
          data-testid="admin-reset-generated"
          copyable={{ text: generated, tooltips: [t('common.copy'), t('common.copied')] }}
        >
          {generated}
        </Typography.Paragraph>
      </Modal>
    );
  }
  return (
    <Modal
      open={open}
      title={t('reset.title', { name: user.nickname })}
      okText={t('reset.submit')}
      cancelText={t('common.cancel')}
      okButtonProps={{
        danger: true,
        disabled: mode === 'set' && password.length < 8,
        'data-testid': 'admin-reset-submit',
      }}
      confirmLoading={busy}
      onOk={() => void submit()}
      onCancel={close}
    >
      <Radio.Group value={mode} onChange={(e) => setMode(e.target.value as 'generate' | 'set')}>
        <Radio value="generate">{t('reset.generate')}</Radio>
        <Radio value="set">{t('reset.set')}</Radio>
      </Radio.Group>
      {mode === 'set' && (
        <Input.Password
          style={{ marginTop: 12 }}
          placeholder={t('reset.newPassword')}
          maxLength={128}
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          status={password && password.length < 8 ? 'error' : ''}
        />
      )}
    </Modal>
  );
}
