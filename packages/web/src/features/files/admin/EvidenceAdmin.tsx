import type { AuditRecord, AuditVerification, AuditExportFormat } from '@zhixin/sdk';
import { Alert, App, Button, Space, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { client } from '../../../app/client.ts';
import { useAdminErrorText } from './errors.ts';
import { EvidenceFilters, queryOf, type EvidenceFilterValues } from './EvidenceFilters.tsx';
import { saveBlob } from './save-blob.ts';
import { TraceDrawer } from './TraceDrawer.tsx';
import './files-admin.css';

const PAGE = 100;
const time = (ms: number) => new Date(ms).toLocaleString();
const isHash = (s: string | null): s is string => s !== null && /^[0-9a-f]{64}$/.test(s);
const CATEGORY_COLORS = { file: 'blue', auth: 'green', admin: 'purple', security: 'red' } as const;

/** /admin/evidence (auditors): the audit and evidence log of every category, traces, verification, export. */
export default function EvidenceAdmin() {
  const { t } = useTranslation('files');
  const { message } = App.useApp();
  const errorText = useAdminErrorText();
  const [filters, setFilters] = useState<EvidenceFilterValues>({ category: 'file' });
  const [records, setRecords] = useState<AuditRecord[] | null>(null);
  const [next, setNext] = useState<number | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [verification, setVerification] = useState<AuditVerification | null>(null);
  const [verifying, setVerifying] = useState(false);
  const [exporting, setExporting] = useState<AuditExportFormat | null>(null);
  const [tracing, setTracing] = useState<string | null>(null);

  const load = useCallback(
    (values: EvidenceFilterValues, beforeSeq?: number) => {
      const query = { ...queryOf(values), limit: PAGE, ...(beforeSeq ? { beforeSeq } : {}) };
      return client.audit
        .list(query)
        .then((page) => {
          setRecords((held) => (beforeSeq && held ? [...held, ...page.records] : page.records));
          setNext(page.nextBeforeSeq);
        })
        .catch((err: unknown) => {
          setRecords((held) => held ?? []);
          void message.error(errorText(err));
        });
    },
    [message, errorText],
  );
  useEffect(() => void load({ category: 'file' }), [load]);

  const search = (values: EvidenceFilterValues) => {
    setFilters(values);
    setRecords(null);
    void load(values);
  };
  const more = () => {
    if (next === null) return;
    setLoadingMore(true);
    void load(filters, next).finally(() => setLoadingMore(false));
  };
  const verify = () => {
    setVerifying(true);
    client.audit
      .verify()
      .then(setVerification)
      .catch((err: unknown) => void message.error(errorText(err)))
      .finally(() => setVerifying(false));
  };
  const exportAs = (format: AuditExportFormat) => {
    setExporting(format);
    client.audit
      .exportBlob({ format, ...queryOf(filters) })
      .then((blob) => saveBlob(blob, `evidence-${new Date().toISOString().slice(0, 10)}.${format}`))
      .catch((err: unknown) => void message.error(errorText(err)))
      .finally(() => setExporting(null));
  };

  return (
    <div className="zx-evidence" data-testid="admin-evidence">
      <Typography.Title level={3}>{t('evidence.title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('evidence.hint')}</Typography.Paragraph>
      <EvidenceFilters onSearch={search} />
      <Space className="zx-evidence-toolbar" wrap>
        <Button loading={verifying} onClick={verify} data-testid="evidence-verify">
          {t('evidence.verify')}
        </Button>
        <Button
          loading={exporting === 'csv'}
          onClick={() => exportAs('csv')}
          data-testid="evidence-export-csv"
        >
          {t('evidence.exportCsv')}
        </Button>
        <Button
          loading={exporting === 'jsonl'}
          onClick={() => exportAs('jsonl')}
          data-testid="evidence-export-jsonl"
        >
          {t('evidence.exportJsonl')}
        </Button>
      </Space>
      {verification && (
        <Alert
          className="zx-evidence-alert"
          data-testid="evidence-verification"
          showIcon
          type={verification.ok ? 'success' : 'error'}
          title={
            verification.ok
              ? t('evidence.verifyOk', { count: verification.checked })
              : t('evidence.verifyBad', { seq: verification.firstBadSeq, reason: verification.reason ?? '' })
          }
        />
      )}
      <Table<AuditRecord>
        size="small"
        rowKey="seq"
        loading={records === null}
        dataSource={records ?? []}
        pagination={false}
        scroll={{ x: 1100 }}
        locale={{ emptyText: t('evidence.empty') }}
        columns={[
          { key: 'seq', title: '#', dataIndex: 'seq', width: 70 },
          { key: 'at', title: t('evidence.time'), width: 170, render: (_, r) => time(r.at) },
          {
            key: 'category',
            title: t('evidence.category'),
            width: 90,
            render: (_, r) => (
              <Tag color={CATEGORY_COLORS[r.category]}>{t(`evidence.categories.${r.category}`)}</Tag>
            ),
          },
          {
            key: 'action',
            title: t('evidence.action'),
            width: 180,
            render: (_, r) => (
              <span data-testid="evidence-row" data-action={r.action}>
                {r.action}
              </span>
            ),
          },
          {
            key: 'actor',
            title: t('evidence.actor'),
            width: 140,
            render: (_, r) => r.actorId ?? t('evidence.system'),
          },
          {
            key: 'subject',
            title: t('evidence.subject'),
            width: 170,
            render: (_, r) =>
              isHash(r.subject) ? (
                <Button
                  type="link"
                  size="small"
                  onClick={() => setTracing(r.subject)}
                  data-testid="evidence-trace-link"
                >
                  {r.subject.slice(0, 12)}…
                </Button>
              ) : (
                (r.subject ?? '—')
              ),
          },
          { key: 'targets', title: t('evidence.targets'), width: 70, render: (_, r) => r.targetIds.length },
          { key: 'device', title: t('evidence.device'), width: 120, render: (_, r) => r.deviceId ?? '—' },
          { key: 'ip', title: 'IP', width: 120, render: (_, r) => r.ip ?? '—' },
          {
            key: 'details',
            title: t('evidence.details'),
            render: (_, r) => <code className="zx-evidence-details">{JSON.stringify(r.details)}</code>,
          },
        ]}
      />
      {next !== null && (
        <div className="zx-evidence-more">
          <Button loading={loadingMore} onClick={more} data-testid="evidence-more">
            {t('evidence.more')}
          </Button>
        </div>
      )}
      <TraceDrawer sha256={tracing} onClose={() => setTracing(null)} />
    </div>
  );
}
