import type { SystemSettings, SystemSettingsPatch } from '@zhixin/sdk';
import { Button, Card, Form, Input, InputNumber, Switch } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../app/session.ts';
import { renderWatermark } from '../../watermark/template.ts';

interface RuntimeCardProps {
  settings: SystemSettings;
  canEdit: boolean;
  save: (patch: SystemSettingsPatch) => Promise<boolean>;
}

/** Watermark template (with a live preview), recall window and registration on/off. */
export function RuntimeCard({ settings, canEdit, save }: RuntimeCardProps) {
  const { t } = useTranslation('system');
  const me = useSession((s) => s.me);
  const [template, setTemplate] = useState(settings.watermarkTemplate);
  const [recall, setRecall] = useState(settings.recallWindowSeconds);
  const [registrationOpen, setRegistrationOpen] = useState(settings.registrationOpen);
  const [saving, setSaving] = useState(false);

  const preview = renderWatermark(
    template || ' ',
    { id: me?.id ?? '', nickname: me?.nickname ?? '', phone: me?.phone ?? '', account: me?.account ?? null },
    new Date(),
  );

  const submit = async () => {
    const patch: SystemSettingsPatch = {};
    if (template !== settings.watermarkTemplate) patch.watermarkTemplate = template;
    if (recall !== settings.recallWindowSeconds) patch.recallWindowSeconds = recall;
    if (registrationOpen !== settings.registrationOpen) patch.registrationOpen = registrationOpen;
    if (!Object.keys(patch).length) return;
    setSaving(true);
    await save(patch);
    setSaving(false);
  };

  return (
    <Card
      title={`${t('settings.watermark.title')} · ${t('settings.messages.title')} · ${t('settings.registration.title')}`}
      size="small"
    >
      <Form layout="vertical" disabled={!canEdit}>
        <div className="zx-sys-grid">
          <Form.Item label={t('settings.watermark.template')} extra={t('settings.watermark.help')}>
            <Input.TextArea
              rows={3}
              maxLength={120}
              value={template}
              data-testid="system-watermark-template"
              onChange={(e) => setTemplate(e.target.value)}
            />
          </Form.Item>
          <Form.Item label={t('settings.watermark.preview')}>
            <div className="zx-sys-watermark-preview" data-testid="system-watermark-preview">
              {preview.map((line, i) => (
                <div key={i}>{line}</div>
              ))}
            </div>
          </Form.Item>
        </div>
        <div className="zx-sys-grid">
          <Form.Item label={t('settings.messages.recall')} extra={t('settings.messages.recallHelp')}>
            <InputNumber
              min={0}
              max={86_400}
              value={recall}
              data-testid="system-recall-window"
              onChange={(v) => setRecall(v ?? 0)}
            />
          </Form.Item>
          <Form.Item label={t('settings.registration.open')} extra={t('settings.registration.closedHelp')}>
            <Switch
              checked={registrationOpen}
              data-testid="system-registration-open"
              onChange={setRegistrationOpen}
            />
          </Form.Item>
        </div>
        {canEdit && (
          <div className="zx-sys-actions">
            <Button
              type="primary"
              loading={saving}
              data-testid="system-runtime-save"
              onClick={() => void submit()}
            >
              {t('settings.save')}
            </Button>
          </div>
        )}
      </Form>
    </Card>
  );
}
