import type { ClientSettings } from '@zhixin/sdk';
import { App, Button, Card, Form, Input, InputNumber, Switch } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { client } from '../../app/client.ts';
import { useSystemErrorText } from './errors.ts';
import { ImageField } from './ImageField.tsx';

/** Launch and welcome pages and the product name (settings.client / settings.updateClient). */
export function ClientPagesCard({ canEdit }: { canEdit: boolean }) {
  const { t } = useTranslation('system');
  const { message } = App.useApp();
  const errorText = useSystemErrorText();
  const [saved, setSaved] = useState<ClientSettings | null>(null);
  const [draft, setDraft] = useState<ClientSettings | null>(null);
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    client.settings
      .client()
      .then((s) => {
        setSaved(s);
        setDraft(s);
      })
      .catch((err: unknown) => void message.error(errorText(err)));
  }, [message, errorText]);

  if (!draft || !saved) return <Card title={t('settings.client.title')} size="small" loading />;
  const launch = (patch: Partial<ClientSettings['launch']>) =>
    setDraft({ ...draft, launch: { ...draft.launch, ...patch } });
  const welcome = (patch: Partial<ClientSettings['welcome']>) =>
    setDraft({ ...draft, welcome: { ...draft.welcome, ...patch } });

  const save = async () => {
    setSaving(true);
    try {
      const next = await client.settings.updateClient({
        productName: draft.productName,
        launch: draft.launch,
        welcome: draft.welcome,
      });
      setSaved(next);
      setDraft(next);
      void message.success(t('settings.saved'));
    } catch (err) {
      void message.error(errorText(err));
    } finally {
      setSaving(false);
    }
  };

  const c = 'settings.client';
  return (
    <Card title={t(`${c}.title`)} size="small" data-testid="system-client-pages">
      <Form layout="vertical" disabled={!canEdit}>
        <Form.Item label={t(`${c}.productName`)}>
          <Input
            value={draft.productName}
            maxLength={40}
            onChange={(e) => setDraft({ ...draft, productName: e.target.value })}
          />
        </Form.Item>
        <div className="zx-sys-grid">
          <fieldset className="zx-sys-fieldset">
            <legend>{t(`${c}.launch`)}</legend>
            <Form.Item label={t(`${c}.enabled`)}>
              <Switch checked={draft.launch.enabled} onChange={(enabled) => launch({ enabled })} />
            </Form.Item>
            <Form.Item label={t(`${c}.image`)}>
              <ImageField
                testId="system-launch-image"
                value={draft.launch.imageId}
                disabled={!canEdit}
                onChange={(imageId) => launch({ imageId })}
              />
            </Form.Item>
            <Form.Item label={t(`${c}.text`)}>
              <Input
                value={draft.launch.text}
                maxLength={200}
                onChange={(e) => launch({ text: e.target.value })}
              />
            </Form.Item>
            <Form.Item label={t(`${c}.duration`)}>
              <InputNumber
                min={0}
                max={10_000}
                step={500}
                value={draft.launch.durationMs}
                onChange={(v) => launch({ durationMs: v ?? 0 })}
              />
            </Form.Item>
          </fieldset>
          <fieldset className="zx-sys-fieldset">
            <legend>{t(`${c}.welcome`)}</legend>
            <Form.Item label={t(`${c}.enabled`)}>
              <Switch checked={draft.welcome.enabled} onChange={(enabled) => welcome({ enabled })} />
            </Form.Item>
            <Form.Item label={t(`${c}.image`)}>
              <ImageField
                testId="system-welcome-image"
                value={draft.welcome.imageId}
                disabled={!canEdit}
                onChange={(imageId) => welcome({ imageId })}
              />
            </Form.Item>
            <Form.Item label={t(`${c}.welcomeTitle`)}>
              <Input
                value={draft.welcome.title}
                maxLength={60}
                onChange={(e) => welcome({ title: e.target.value })}
              />
            </Form.Item>
            <Form.Item label={t(`${c}.text`)}>
              <Input.TextArea
                rows={2}
                value={draft.welcome.text}
                maxLength={500}
                onChange={(e) => welcome({ text: e.target.value })}
              />
            </Form.Item>
          </fieldset>
        </div>
        {canEdit && (
          <div className="zx-sys-actions">
            <Button
              type="primary"
              loading={saving}
              data-testid="system-client-save"
              onClick={() => void save()}
            >
              {t('settings.save')}
            </Button>
          </div>
        )}
      </Form>
    </Card>
  );
}
