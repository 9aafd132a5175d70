import type { ImportLine, ImportReport } from '@zhixin/protocol';
import { Alert, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';

const COLORS: Record<ImportLine['action'], string> = {
  create: 'green',
  update: 'blue',
  unchanged: 'default',
  refused: 'red',
};

/** The line-by-line report of a CSV or LDAP import (`prefix` names its test ids). */
export function ImportReportView({ report, prefix }: { report: ImportReport; prefix: string }) {
  const { t } = useTranslation('directory');
  const summary = t('admin.report.summary', {
    created: report.created,
    updated: report.updated,
    unchanged: report.unchanged,
    refused: report.refused,
    departments: report.departmentsCreated.length,
  });
  return (
    <div data-testid={`${prefix}-report`} data-dry-run={String(report.dryRun)}>
      <Alert
        type={report.dryRun ? 'info' : 'success'}
        showIcon
        title={report.dryRun ? t('admin.report.dryRunNote') : t('admin.report.doneNote')}
        description={<span data-testid={`${prefix}-summary`}>{summary}</span>}
      />
      <Table<ImportLine>
        size="small"
        rowKey={(l) => `${l.line}`}
        dataSource={report.lines}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        onRow={(l) =>
          ({ 'data-testid': `${prefix}-row`, 'data-line': l.line, 'data-action': l.action }) as object
        }
        columns={[
          { title: t('admin.report.line'), dataIndex: 'line', width: 64 },
          {
            title: t('admin.report.action'),
            dataIndex: 'action',
            width: 90,
            render: (a: ImportLine['action']) => (
              <Tag color={COLORS[a]}>{t(`admin.report.actions.${a}`)}</Tag>
            ),
          },
          { title: t('admin.report.phone'), dataIndex: 'phone' },
          { title: t('admin.report.nickname'), dataIndex: 'nickname' },
          { title: t('admin.report.department'), dataIndex: 'department' },
          { title: t('admin.report.title'), dataIndex: 'title' },
          { title: t('admin.report.reason'), dataIndex: 'reason' },
        ]}
      />
    </div>
  );
}
