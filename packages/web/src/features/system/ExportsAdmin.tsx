import type { ExportFormat, ExportKind } from '@zhixin/sdk';
import { App, Button, Card, DatePicker, Form, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { client } from '../../app/client.ts';
import { useSystemErrorText } from './errors.ts';
import './system.css';

const EXPORTS: { kind: ExportKind; formats: ExportFormat[] }[] = [
  { kind: 'users', formats: ['xlsx', 'csv'] },
  { kind: 'active', formats: ['xlsx', 'csv'] },
  { kind: 'profiles', formats: ['jsonl'] },
];

const FORMAT_NAMES: Record<ExportFormat, string> = { xlsx: 'Excel', csv: 'CSV', jsonl: 'JSON Lines' };

/** Follow a download link without leaving the page (the browser saves the streamed file). */
function startDownload(url: string): void {
  const a = document.createElement('a');
  a.href = new URL(url, window.location.origin).toString();
  a.rel = 'noopener';
  a.download = '';
  document.body.appendChild(a);
  a.click();
  a.remove();
}

/** /admin/exports (operators): registered users, active users, behaviour profiles. */
export default function ExportsAdmin() {
  const { t } = useTranslation('system');
  const { message } = App.useApp();
  const errorText = useSystemErrorText();
  const [range, setRange] = useState<[Dayjs, Dayjs]>(() => [
    dayjs().subtract(29, 'day').startOf('day'),
    dayjs().endOf('day'),
  ]);
  const [busy, setBusy] = useState<string | null>(null);

  const download = async (kind: ExportKind, format: ExportFormat) => {
    setBusy(`${kind}.${format}`);
    try {
      const span =
        kind === 'users'
          ? undefined
          : { from: range[0].startOf('day').valueOf(), to: range[1].endOf('day').valueOf() + 1 };
      const ticket = await client.exports.ticket(kind, format, span);
      startDownload(ticket.url);
      void message.success(t('exports.started'));
    } catch (err) {
      void message.error(errorText(err));
    } finally {
      setBusy(null);
    }
  };

  return (
    <div className="zx-sys-exports" data-testid="admin-exports">
      <Typography.Title level={3}>{t('exports.title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('exports.hint')}</Typography.Paragraph>
      <Form layout="inline" className="zx-sys-alert">
        <Form.Item label={t('exports.range')}>
          <DatePicker.RangePicker
            value={range}
            allowClear={false}
            data-testid="exports-range"
            disabledDate={(d) => d.isAfter(dayjs().endOf('day'))}
            onChange={(v) => {
              if (v?.[0] && v[1]) setRange([v[0], v[1]]);
            }}
          />
        </Form.Item>
      </Form>
      {EXPORTS.map(({ kind, formats }) => (
        <Card key={kind} size="small" title={t(`exports.${kind}.title`)} data-testid={`exports-${kind}`}>
          <Typography.Paragraph type="secondary">{t(`exports.${kind}.text`)}</Typography.Paragraph>
          <div className="zx-sys-export-actions">
            {formats.map((format) => (
              <Button
                key={format}
                type={format === formats[0] ? 'primary' : 'default'}
                loading={busy === `${kind}.${format}`}
                data-testid={`exports-${kind}-${format}`}
                onClick={() => void download(kind, format)}
              >
                {t('exports.download', { format: FORMAT_NAMES[format] })}
              </Button>
            ))}
          </div>
        </Card>
      ))}
    </div>
  );
}
