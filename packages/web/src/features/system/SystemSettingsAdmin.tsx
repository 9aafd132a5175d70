import type { SystemSettings, SystemSettingsPatch } from '@zhixin/sdk';
import { Alert, App, Card, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { client } from '../../app/client.ts';
import { useSession } from '../../app/session.ts';
import { refreshClientPolicy } from './client-policy.ts';
import { ClientPagesCard } from './ClientPagesCard.tsx';
import { useSystemErrorText } from './errors.ts';
import { RuntimeCard } from './RuntimeCard.tsx';
import { SmsCard } from './SmsCard.tsx';
import './system.css';

/** /admin/settings: runtime system settings (operators read, administrators change). */
export default function SystemSettingsAdmin() {
  const { t } = useTranslation('system');
  const { message } = App.useApp();
  const errorText = useSystemErrorText();
  const canEdit = useSession((s) => s.me?.role === 'admin');
  const [settings, setSettings] = useState<SystemSettings | null>(null);
  // Cards keep their own drafts; a new key after a card's save starts that card (only: the other
  // card may hold a draft being typed) from what the server has.
  const [versions, setVersions] = useState({ runtime: 0, sms: 0 });

  useEffect(() => {
    client.system
      .settings()
      .then(setSettings)
      .catch((err: unknown) => void message.error(errorText(err)));
  }, [message, errorText]);

  const save = useCallback(
    async (card: keyof typeof versions, patch: SystemSettingsPatch) => {
      try {
        setSettings(await client.system.updateSettings(patch));
        setVersions((v) => ({ ...v, [card]: v[card] + 1 }));
        void message.success(t('settings.saved'));
        void refreshClientPolicy().catch(() => undefined);
        return true;
      } catch (err) {
        void message.error(errorText(err));
        return false;
      }
    },
    [message, errorText, t],
  );

  return (
    <div className="zx-sys" data-testid="admin-system-settings">
      <Typography.Title level={3}>{t('settings.title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('settings.hint')}</Typography.Paragraph>
      {!canEdit && <Alert type="info" showIcon message={t('settings.readOnly')} className="zx-sys-alert" />}
      <ClientPagesCard canEdit={canEdit} />
      {settings ? (
        <>
          <RuntimeCard
            key={`runtime-${versions.runtime}`}
            settings={settings}
            canEdit={canEdit}
            save={(patch) => save('runtime', patch)}
          />
          <SmsCard
            key={`sms-${versions.sms}`}
            settings={settings}
            canEdit={canEdit}
            save={(patch) => save('sms', patch)}
          />
        </>
      ) : (
        <Card loading size="small" />
      )}
      <Card size="small">
        {t('settings.filesLink')} · <Link to="/admin/files">{t('settings.openFiles')}</Link>
      </Card>
    </div>
  );
}
