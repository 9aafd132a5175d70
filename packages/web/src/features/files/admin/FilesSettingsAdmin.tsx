import type { FileSettings, FileSettingsPatch } from '@zhixin/protocol';
import { App, Button, Card, Form, Input, InputNumber, Radio, Switch, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { client } from '../../../app/client.ts';
import { useAdminErrorText } from './errors.ts';
import { formToPatch, settingsToForm, type FilesForm } from './settings-form.ts';
import './files-admin.css';

/** /admin/files (operators): size limit, quota, abandoned uploads, retention per chat kind, the disclaimer. */
export default function FilesSettingsAdmin() {
  const { t } = useTranslation('files');
  const { message } = App.useApp();
  const errorText = useAdminErrorText();
  const [form] = Form.useForm<FilesForm>();
  const [settings, setSettings] = useState<FileSettings | null>(null);
  const [saving, setSaving] = useState(false);

  const load = useCallback(() => {
    client
      .call('files.settings', {})
      .then((s) => {
        setSettings(s);
        form.setFieldsValue(settingsToForm(s));
      })
      .catch((err: unknown) => void message.error(errorText(err)));
  }, [form, message, errorText]);
  useEffect(load, [load]);

  const save = async (values: FilesForm) => {
    if (!settings) return;
    const patch: FileSettingsPatch | null = formToPatch(settings, values);
    if (!patch) return void message.info(t('admin.unchanged'));
    setSaving(true);
    try {
      const next = await client.call('files.updateSettings', patch);
      setSettings(next);
      form.setFieldsValue(settingsToForm(next));
      void message.success(t('admin.saved'));
    } catch (err) {
      void message.error(errorText(err));
    } finally {
      setSaving(false);
    }
  };

  const days = (name: keyof FilesForm, label: string, optional: boolean) => (
    <Form.Item name={name} label={label} extra={optional ? t('admin.followDefault') : t('admin.zeroForever')}>
      <InputNumber min={0} max={36_500} addonAfter={t('admin.days')} data-testid={`files-admin-${name}`} />
    </Form.Item>
  );

  return (
    <div className="zx-files-admin" data-testid="admin-files">
      <Typography.Title level={3}>{t('admin.filesTitle')}</Typography.Title>
      <Form<FilesForm> form={form} layout="vertical" onFinish={(v) => void save(v)} disabled={!settings}>
        <Card title={t('admin.limits')} size="small">
          <Form.Item name="maxFileMb" label={t('admin.maxFile')} rules={[{ required: true }]}>
            <InputNumber min={1} max={1024} addonAfter="MB" data-testid="files-admin-maxFileMb" />
          </Form.Item>
          <Form.Item
            name="quotaMb"
            label={t('admin.quota')}
            extra={t('admin.zeroUnlimited')}
            rules={[{ required: true }]}
          >
            <InputNumber min={0} addonAfter="MB" data-testid="files-admin-quotaMb" />
          </Form.Item>
          <Form.Item name="abandonedHours" label={t('admin.abandoned')} rules={[{ required: true }]}>
            <InputNumber
              min={1}
              max={720}
              addonAfter={t('admin.hours')}
              data-testid="files-admin-abandonedHours"
            />
          </Form.Item>
        </Card>
        <Card title={t('admin.retention')} size="small">
          <div className="zx-files-admin-grid">
            {days('defaultDays', t('admin.retentionDefault'), false)}
            {days('directDays', t('admin.retentionDirect'), true)}
            {days('groupDays', t('admin.retentionGroup'), true)}
            {days('selfDays', t('admin.retentionSelf'), true)}
          </div>
        </Card>
        <Card
          title={t('admin.disclaimer')}
          size="small"
          extra={settings ? t('admin.version', { version: settings.disclaimer.version }) : null}
        >
          <Form.Item name="disclaimerEnabled" label={t('admin.disclaimerEnabled')} valuePropName="checked">
            <Switch data-testid="files-admin-disclaimer-enabled" />
          </Form.Item>
          <Form.Item name="disclaimerScope" label={t('admin.disclaimerScope')}>
            <Radio.Group
              options={[
                { value: 'crossTerminal', label: t('admin.scopeCrossTerminal') },
                { value: 'allFiles', label: t('admin.scopeAllFiles') },
              ]}
            />
          </Form.Item>
          <Form.Item name="disclaimerText" label={t('admin.disclaimerText')} rules={[{ max: 2000 }]}>
            <Input.TextArea rows={5} showCount maxLength={2000} data-testid="files-admin-disclaimer-text" />
          </Form.Item>
        </Card>
        <div className="zx-files-admin-actions">
          <Button onClick={load}>{t('admin.reset')}</Button>
          <Button type="primary" htmlType="submit" loading={saving} data-testid="files-admin-save">
            {t('admin.save')}
          </Button>
        </div>
      </Form>
    </div>
  );
}
