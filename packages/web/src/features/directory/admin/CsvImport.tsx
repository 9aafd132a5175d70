import type { ImportReport } from '@zhixin/protocol';
import { MAX_IMPORT_CSV_CHARS } from '@zhixin/protocol';
import { Alert, Button, Input, Space, Typography } from 'antd';
import { useState, type ChangeEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { client } from '../../../app/client.ts';
import { reloadDirectoryTree } from '../useDirectoryTree.ts';
import { directoryErrorText } from './errors.ts';
import { ImportReportView } from './ImportReportView.tsx';

/** CSV import: pick a file or paste, dry-run to see the report, then import the same text. */
export function CsvImport() {
  const { t } = useTranslation('directory');
  const [text, setText] = useState('');
  const [report, setReport] = useState<ImportReport | null>(null);
  const [checked, setChecked] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');

  const onFile = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (!file) return;
    if (file.size > MAX_IMPORT_CSV_CHARS) {
      setError(t('admin.csv.tooLarge'));
      return;
    }
    setText(await file.text());
    setReport(null);
    setError('');
  };

  const run = async (dryRun: boolean) => {
    setBusy(true);
    setError('');
    try {
      const r = await client.directory.importCsv(text, dryRun);
      setReport(r);
      setChecked(dryRun ? text : '');
      if (!dryRun) await reloadDirectoryTree();
    } catch (err) {
      setError(directoryErrorText(t, err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Text type="secondary">{t('admin.csv.help')}</Typography.Text>
      <label>
        <Typography.Text>{t('admin.csv.file')}</Typography.Text>{' '}
        <input
          type="file"
          accept=".csv,text/csv,text/plain"
          data-testid="csv-import-file"
          onChange={onFile}
        />
      </label>
      <Input.TextArea
        rows={8}
        value={text}
        placeholder={t('admin.csv.placeholder')}
        onChange={(e) => {
          setText(e.target.value);
          setReport(null);
        }}
        data-testid="csv-import-text"
      />
      <Space>
        <Button
          onClick={() => void run(true)}
          disabled={!text.trim()}
          loading={busy}
          data-testid="csv-import-dryrun"
        >
          {t('admin.csv.dryRun')}
        </Button>
        <Button
          type="primary"
          onClick={() => void run(false)}
          disabled={busy || checked === '' || checked !== text}
          data-testid="csv-import-run"
        >
          {t('admin.csv.run')}
        </Button>
      </Space>
      {error && <Alert type="error" showIcon title={error} data-testid="csv-import-error" />}
      {report && <ImportReportView report={report} prefix="csv-import" />}
    </Space>
  );
}
