import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { usePreferences } from '../../app/preferences.ts';
import { useSavePreferences } from './GeneralSection.tsx';
import { SettingsGroup, SettingsRow, SettingsSwitch } from './ui.tsx';

type Permission = NotificationPermission | 'unsupported';

function currentPermission(): Permission {
  return 'Notification' in window ? Notification.permission : 'unsupported';
}

/** New-message notifications: on/off, sound, preview. Turning them on asks the browser first. */
export function NotificationsSection() {
  const { t } = useTranslation('settings');
  const prefs = usePreferences((p) => p.notifications);
  const save = useSavePreferences();
  const [permission, setPermission] = useState<Permission>(currentPermission);

  const setEnabled = async (on: boolean) => {
    save({ notifications: { enabled: on } });
    if (on && permission === 'default') setPermission(await Notification.requestPermission());
  };

  const blocked = prefs.enabled && (permission === 'denied' || permission === 'unsupported');
  return (
    <SettingsGroup title={t('notifications.title')} testId="settings-notifications">
      <SettingsRow
        label={t('notifications.enabled')}
        description={t('notifications.enabledHint')}
        extra={
          <SettingsSwitch
            testId="notify-enabled"
            label={t('notifications.enabled')}
            checked={prefs.enabled}
            onChange={(on) => void setEnabled(on)}
          />
        }
      />
      {blocked && (
        <div className="zx-set-warning" role="alert">
          {permission === 'unsupported' ? t('notifications.unsupported') : t('notifications.denied')}
        </div>
      )}
      <SettingsRow
        label={t('notifications.sound')}
        extra={
          <SettingsSwitch
            testId="notify-sound"
            label={t('notifications.sound')}
            checked={prefs.sound}
            disabled={!prefs.enabled}
            onChange={(on) => save({ notifications: { sound: on } })}
          />
        }
      />
      <SettingsRow
        label={t('notifications.preview')}
        description={t('notifications.previewHint')}
        extra={
          <SettingsSwitch
            testId="notify-preview"
            label={t('notifications.preview')}
            checked={prefs.showPreview}
            disabled={!prefs.enabled}
            onChange={(on) => save({ notifications: { showPreview: on } })}
          />
        }
      />
    </SettingsGroup>
  );
}
