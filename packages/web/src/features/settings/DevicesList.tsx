import type { Device } from '@zhixin/sdk';
import { Tag } from 'antd';
import { Tag as MobileTag } from 'antd-mobile';
import dayjs from 'dayjs';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { client } from '../../app/client.ts';
import { useLayoutKind } from '../../app/layout.ts';
import { useErrorText } from '../auth/useErrorText.ts';
import { SettingsDialog, SettingsGroup, useNotice } from './ui.tsx';

/** Newest activity first, this device on top. */
export function sortDevices(devices: readonly Device[]): Device[] {
  return [...devices].sort((a, b) => Number(b.current) - Number(a.current) || b.lastSeenAt - a.lastSeenAt);
}

/** My logged-in devices: name, platform, last active (to the minute); others can be logged out. */
export function DevicesList() {
  const { t } = useTranslation('settings');
  const layout = useLayoutKind();
  const errorText = useErrorText();
  const notice = useNotice();
  const [devices, setDevices] = useState<Device[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [revoking, setRevoking] = useState<Device | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(() => {
    client.auth.devices().then(
      (list) => {
        setDevices(sortDevices(list));
        setLoadError(null);
      },
      (err: unknown) => setLoadError(errorText(err)),
    );
  }, [errorText]);

  useEffect(() => {
    load();
    // Another of my devices logging in or out changes the list.
    return client.on('session.revoked', load);
  }, [load]);

  const revoke = async () => {
    if (!revoking) return;
    setBusy(true);
    try {
      await client.auth.revokeDevice(revoking.sessionId);
      setDevices((list) => list?.filter((d) => d.sessionId !== revoking.sessionId) ?? null);
      notice.success(t('account.revoked', { name: revoking.name }));
      setRevoking(null);
    } catch (err) {
      notice.error(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <SettingsGroup title={t('account.devices')}>
      <div className="zx-devices" data-testid="devices-list">
        {loadError && <div className="zx-set-error">{loadError}</div>}
        {devices === null && !loadError && <div className="zx-set-muted">{t('loading')}</div>}
        {devices?.map((d) => (
          <div
            key={d.sessionId}
            className="zx-device"
            data-testid="device-item"
            data-session-id={d.sessionId}
            data-current={d.current ? 'true' : 'false'}
          >
            <div className="zx-device-main">
              <div className="zx-device-name">
                {d.name}
                {d.current &&
                  (layout === 'mobile' ? (
                    <MobileTag color="primary" fill="outline">
                      {t('account.thisDevice')}
                    </MobileTag>
                  ) : (
                    <Tag color="blue">{t('account.thisDevice')}</Tag>
                  ))}
              </div>
              <div className="zx-device-meta">
                {t(`account.platform.${d.platform}`, { defaultValue: d.platform })} ·{' '}
                {t('account.lastActive', { time: dayjs(d.lastSeenAt).format('YYYY-MM-DD HH:mm') })}
              </div>
            </div>
            {!d.current && (
              <button
                type="button"
                className="zx-link-button zx-danger"
                data-testid="device-revoke"
                onClick={() => setRevoking(d)}
              >
                {t('account.revoke')}
              </button>
            )}
          </div>
        ))}
      </div>
      <SettingsDialog
        open={revoking !== null}
        title={t('account.revokeTitle')}
        confirmText={t('account.revoke')}
        confirmTestId="device-revoke-confirm"
        danger
        loading={busy}
        onConfirm={() => void revoke()}
        onCancel={() => setRevoking(null)}
      >
        {revoking && t('account.revokeExplain', { name: revoking.name })}
      </SettingsDialog>
    </SettingsGroup>
  );
}
