import { Button } from 'antd';
import { Button as MobileButton } from 'antd-mobile';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLayoutKind } from '../../app/layout.ts';
import { logout } from '../../app/session.ts';
import { ChangePassword } from './ChangePassword.tsx';
import { DevicesList } from './DevicesList.tsx';
import { SettingsDialog, SettingsGroup } from './ui.tsx';

/** Log out with a confirmation (`logout` opens it, `logout-confirm` does it). */
export function LogoutButton() {
  const { t } = useTranslation('settings');
  const layout = useLayoutKind();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const confirm = () => {
    setBusy(true);
    // Leaving the signed-in UI unmounts this button; nothing to reset afterwards.
    void logout();
  };
  return (
    <>
      {layout === 'mobile' ? (
        <MobileButton
          block
          size="large"
          color="danger"
          fill="none"
          className="zx-m-logout"
          data-testid="logout"
          onClick={() => setOpen(true)}
        >
          {t('account.logout')}
        </MobileButton>
      ) : (
        <Button danger data-testid="logout" onClick={() => setOpen(true)}>
          {t('account.logout')}
        </Button>
      )}
      <SettingsDialog
        open={open}
        title={t('account.logoutTitle')}
        confirmText={t('account.logout')}
        confirmTestId="logout-confirm"
        danger
        loading={busy}
        onConfirm={confirm}
        onCancel={() => setOpen(false)}
      >
        {t('account.logoutExplain')}
      </SettingsDialog>
    </>
  );
}

/** Account and security: password, devices, log out. */
export function AccountSection() {
  const { t } = useTranslation('settings');
  return (
    <>
      <SettingsGroup title={t('account.security')}>
        <ChangePassword />
      </SettingsGroup>
      <DevicesList />
      <div className="zx-set-footer">
        <LogoutButton />
      </div>
    </>
  );
}
