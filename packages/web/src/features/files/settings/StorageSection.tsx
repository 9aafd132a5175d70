import type { FileQuota } from '@zhixin/protocol';
import { Progress } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { client } from '../../../app/client.ts';
import { SettingsDialog, SettingsGroup, SettingsRow, useNotice } from '../../settings/ui.tsx';
import { formatBytes } from '../format.ts';
import { clearLocalCache, localCacheUsage, type LocalCacheUsage } from './local-cache.ts';
import '../files.css';

/** Settings → Storage: my use of the server's storage, and this device's cache with a way to clear it. */
export function StorageSection() {
  const { t } = useTranslation('files');
  const notice = useNotice();
  const [quota, setQuota] = useState<FileQuota | null>(null);
  const [quotaFailed, setQuotaFailed] = useState(false);
  const [usage, setUsage] = useState<LocalCacheUsage | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [clearing, setClearing] = useState(false);

  const measure = useCallback(() => {
    localCacheUsage()
      .then(setUsage)
      .catch(() => setUsage({ mediaBytes: 0, messageCount: 0, messageBytes: 0 }));
  }, []);
  useEffect(() => {
    client
      .call('files.quota', {})
      .then(setQuota)
      .catch(() => setQuotaFailed(true));
    measure();
  }, [measure]);

  const clear = () => {
    setClearing(true);
    clearLocalCache()
      .then((freed) => notice.success(t('storage.cleared', { size: formatBytes(freed) })))
      .catch(() => notice.error(t('storage.clearFailed')))
      .finally(() => {
        setClearing(false);
        setConfirming(false);
        measure();
      });
  };

  const used = quota ? formatBytes(quota.usedBytes) : '…';
  const limit = quota && quota.limitBytes > 0 ? formatBytes(quota.limitBytes) : t('storage.unlimited');
  const percent =
    quota && quota.limitBytes > 0 ? Math.min(100, (quota.usedBytes / quota.limitBytes) * 100) : null;
  const local = usage ? usage.mediaBytes + usage.messageBytes : null;
  return (
    <>
      <SettingsGroup title={t('storage.server')} testId="storage-server">
        <SettingsRow
          label={t('storage.used')}
          testId="storage-used"
          description={
            percent !== null ? (
              <Progress percent={Math.round(percent)} size="small" showInfo={false} />
            ) : undefined
          }
          extra={quotaFailed ? t('loadFailed') : `${used} / ${limit}`}
        />
        <SettingsRow
          label={t('storage.maxFile')}
          testId="storage-max-file"
          extra={quota ? formatBytes(quota.maxFileBytes) : '…'}
        />
      </SettingsGroup>
      <SettingsGroup title={t('storage.local')} testId="storage-local">
        <SettingsRow
          label={t('storage.localUsed')}
          testId="storage-local-used"
          description={
            usage
              ? t('storage.localDetail', { media: formatBytes(usage.mediaBytes), count: usage.messageCount })
              : undefined
          }
          extra={local === null ? '…' : formatBytes(local)}
        />
        <SettingsRow
          label={<span className="zx-storage-clear">{t('storage.clear')}</span>}
          testId="storage-clear"
          onClick={() => setConfirming(true)}
        />
      </SettingsGroup>
      <SettingsDialog
        open={confirming}
        title={t('storage.clearTitle')}
        confirmText={t('storage.clearConfirm')}
        confirmTestId="storage-clear-confirm"
        danger
        loading={clearing}
        onConfirm={clear}
        onCancel={() => setConfirming(false)}
      >
        {t('storage.clearText')}
      </SettingsDialog>
    </>
  );
}
