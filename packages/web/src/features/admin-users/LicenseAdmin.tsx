import type { LicenseStatus } from '@zhixin/sdk';
import { Alert, App, Button, Card, Descriptions, Input, Progress, Spin, Tag, Typography, Upload } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { client } from '../../app/client.ts';
import { useSession } from '../../app/session.ts';
import { formatTime, useAdminErrorText } from './errors.ts';
import { ScreeningPanel } from './ScreeningPanel.tsx';
import './admin-users.css';

const STATE_COLOR = {
  valid: 'green',
  expired: 'red',
  missing: 'orange',
  invalid: 'red',
  notYetValid: 'orange',
} as const;

const day = (ms: number) => new Date(ms).toLocaleDateString();

/** The gauge's label: a few seats of 85,000 read "<0.1%", not "0%" (which looks like none used). */
function percentText(percent: number): string {
  if (percent > 0 && percent < 0.1) return '<0.1%';
  return `${Number(percent.toFixed(1))}%`;
}

/** /admin/license: the license in force (licensed/used gauge), installing a file, and the screening. */
export default function LicenseAdmin() {
  const { t } = useTranslation('adminUsers');
  const { message } = App.useApp();
  const errorText = useAdminErrorText();
  const isAdmin = useSession((s) => s.me?.role === 'admin');
  const [status, setStatus] = useState<LicenseStatus | null>(null);
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);

  const load = useCallback(() => {
    client.admin
      .license()
      .then(setStatus)
      .catch((err: unknown) => void message.error(errorText(err)));
  }, [message, errorText]);
  useEffect(load, [load]);

  const install = async () => {
    setBusy(true);
    try {
      setStatus(await client.admin.installLicense(text));
      setText('');
      void message.success(t('license.installed'));
    } catch (err) {
      void message.error(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  const percent = status && status.maxUsers > 0 ? Math.min(100, (status.used / status.maxUsers) * 100) : 0;
  return (
    <div className="zx-au-page" data-testid="admin-license">
      <Typography.Title level={3}>{t('license.title')}</Typography.Title>
      <Card title={t('license.licenseCard')} className="zx-au-section">
        {!status ? (
          <Spin />
        ) : (
          <div className="zx-au-license">
            <div className="zx-au-gauge">
              <Progress
                type="dashboard"
                size={180}
                percent={Number(percent.toFixed(1))}
                format={() => <span data-testid="admin-license-percent">{percentText(percent)}</span>}
                status={percent >= 100 || status.state === 'expired' ? 'exception' : 'normal'}
              />
              <Typography.Text data-testid="admin-license-usage">
                {t('license.usage', {
                  used: status.used.toLocaleString(),
                  max: status.maxUsers.toLocaleString(),
                })}
              </Typography.Text>
            </div>
            <div>
              <Descriptions column={1} size="small">
                <Descriptions.Item label={t('users.statusCol')}>
                  <Tag color={STATE_COLOR[status.state]} data-testid="admin-license-state">
                    {t(`license.state.${status.state}`)}
                  </Tag>
                </Descriptions.Item>
                {status.license && (
                  <>
                    <Descriptions.Item label={t('license.licensee')}>
                      {status.license.licensee}
                    </Descriptions.Item>
                    <Descriptions.Item label={t('license.validity')}>
                      {day(status.license.validFrom)} – {day(status.license.validUntil)}
                    </Descriptions.Item>
                    <Descriptions.Item label={t('license.licenseId')}>{status.license.id}</Descriptions.Item>
                  </>
                )}
                <Descriptions.Item label={t('license.seats')}>
                  {status.maxUsers.toLocaleString()}
                </Descriptions.Item>
                <Descriptions.Item label={t('license.used')}>
                  {status.used.toLocaleString()}
                </Descriptions.Item>
                {status.installedAt !== null && (
                  <Descriptions.Item label={t('license.installedAt')}>
                    {formatTime(status.installedAt, t('common.never'))}
                  </Descriptions.Item>
                )}
              </Descriptions>
              {status.state === 'expired' && <Alert type="error" showIcon title={t('license.expiredHint')} />}
              {status.state !== 'valid' && status.state !== 'expired' && (
                <Alert
                  type="warning"
                  showIcon
                  title={t('license.evaluationHint', { max: status.maxUsers })}
                />
              )}
            </div>
          </div>
        )}
      </Card>
      {isAdmin && (
        <Card title={t('license.install')} className="zx-au-section">
          <Typography.Paragraph type="secondary">{t('license.installHint')}</Typography.Paragraph>
          <Input.TextArea
            rows={5}
            value={text}
            placeholder={t('license.paste')}
            data-testid="admin-license-text"
            onChange={(e) => setText(e.target.value)}
          />
          <div className="zx-au-actions" style={{ marginTop: 12 }}>
            <Upload
              accept=".lic,.json,.txt"
              showUploadList={false}
              beforeUpload={(file) => {
                void file.text().then(setText);
                return false;
              }}
            >
              <Button>{t('license.upload')}</Button>
            </Upload>
            <Button
              type="primary"
              loading={busy}
              disabled={!text.trim()}
              data-testid="admin-license-install"
              onClick={() => void install()}
            >
              {t('license.install')}
            </Button>
          </div>
        </Card>
      )}
      <ScreeningPanel isAdmin={isAdmin} onApplied={load} />
    </div>
  );
}
