import type { SystemSettings, SystemSettingsPatch } from '@zhixin/sdk';
import { App, Button, Card, Form, Input, InputNumber, Select, Space, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { client } from '../../app/client.ts';
import { useSystemErrorText } from './errors.ts';

type SmsPatch = NonNullable<SystemSettingsPatch['sms']>;

interface SmsCardProps {
  settings: SystemSettings;
  canEdit: boolean;
  save: (patch: SystemSettingsPatch) => Promise<boolean>;
}

/** The SMS provider: gateway URL, body template, timeout, the write-only secret, and a test send. */
export function SmsCard({ settings, canEdit, save }: SmsCardProps) {
  const { t } = useTranslation('system');
  const { message } = App.useApp();
  const errorText = useSystemErrorText();
  const s = settings.sms;
  const [provider, setProvider] = useState(s.provider);
  const [url, setUrl] = useState(s.httpUrl);
  const [body, setBody] = useState(s.httpBodyTemplate);
  const [timeout, setTimeoutMs] = useState(s.httpTimeoutMs);
  const [secret, setSecret] = useState('');
  const [phone, setPhone] = useState('');
  const [busy, setBusy] = useState(false);

  const submit = async (clearSecret = false) => {
    const patch: SmsPatch = {};
    if (provider !== s.provider) patch.provider = provider;
    if (url !== s.httpUrl) patch.httpUrl = url.trim();
    if (body !== s.httpBodyTemplate) patch.httpBodyTemplate = body;
    if (timeout !== s.httpTimeoutMs) patch.httpTimeoutMs = timeout;
    if (secret) patch.httpAuthorization = secret;
    if (clearSecret) patch.httpAuthorization = '';
    if (!Object.keys(patch).length) return;
    setBusy(true);
    if (await save({ sms: patch })) setSecret('');
    setBusy(false);
  };

  const test = async () => {
    setBusy(true);
    try {
      await client.system.testSms(phone.trim());
      void message.success(t('settings.sms.testSent'));
    } catch (err) {
      void message.error(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  const k = 'settings.sms';
  return (
    <Card title={t(`${k}.title`)} size="small" data-testid="system-sms">
      <Form layout="vertical" disabled={!canEdit}>
        <Form.Item label={t(`${k}.provider`)}>
          <Select
            value={provider}
            data-testid="system-sms-provider"
            onChange={setProvider}
            options={[
              { value: 'dev', label: t(`${k}.dev`) },
              { value: 'http', label: t(`${k}.http`) },
            ]}
          />
        </Form.Item>
        <div className="zx-sys-grid">
          <Form.Item label={t(`${k}.url`)}>
            <Input
              value={url}
              placeholder="https://"
              data-testid="system-sms-url"
              onChange={(e) => setUrl(e.target.value)}
            />
          </Form.Item>
          <Form.Item label={t(`${k}.timeout`)}>
            <InputNumber
              min={100}
              max={60_000}
              step={500}
              value={timeout}
              onChange={(v) => setTimeoutMs(v ?? 5000)}
            />
          </Form.Item>
        </div>
        <Form.Item label={t(`${k}.body`)} extra={t(`${k}.bodyHelp`)}>
          <Input.TextArea rows={2} value={body} onChange={(e) => setBody(e.target.value)} />
        </Form.Item>
        <Form.Item label={t(`${k}.authorization`)}>
          <Space.Compact block>
            <Input.Password
              value={secret}
              autoComplete="new-password"
              data-testid="system-sms-authorization"
              placeholder={s.httpAuthorizationSet ? t(`${k}.authorizationSet`) : t(`${k}.authorizationUnset`)}
              onChange={(e) => setSecret(e.target.value)}
            />
            {s.httpAuthorizationSet && (
              <Button onClick={() => void submit(true)}>{t(`${k}.clearAuthorization`)}</Button>
            )}
          </Space.Compact>
          <Tag
            className="zx-sys-secret-tag"
            color={s.httpAuthorizationSet ? 'green' : 'default'}
            data-testid="system-sms-secret-state"
          >
            {s.httpAuthorizationSet ? t(`${k}.secretSet`) : t(`${k}.authorizationUnset`)}
          </Tag>
        </Form.Item>
        {canEdit && (
          <div className="zx-sys-actions">
            <Button type="primary" loading={busy} data-testid="system-sms-save" onClick={() => void submit()}>
              {t('settings.save')}
            </Button>
          </div>
        )}
        <div className="zx-sys-test">
          <Input
            value={phone}
            placeholder={t(`${k}.testPhone`)}
            data-testid="system-sms-test-phone"
            onChange={(e) => setPhone(e.target.value)}
          />
          <Button
            loading={busy}
            disabled={!canEdit || !phone.trim()}
            data-testid="system-sms-test"
            onClick={() => void test()}
          >
            {t(`${k}.test`)}
          </Button>
        </div>
      </Form>
    </Card>
  );
}
