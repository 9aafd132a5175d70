import type { AuditCategory } from '@zhixin/protocol';
import { Button, DatePicker, Form, Input, Select } from 'antd';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';

/** The evidence list's filters as the form holds them. */
export interface EvidenceFilterValues {
  category: AuditCategory | 'all';
  action?: string;
  actorId?: string;
  subject?: string;
  range?: [Dayjs | null, Dayjs | null] | null;
}

export const CATEGORIES: readonly AuditCategory[] = ['file', 'auth', 'admin', 'security'];

/** The query the filters mean (`to` is exclusive, so the end day is included whole). */
export function queryOf(v: EvidenceFilterValues) {
  const [from, to] = v.range ?? [null, null];
  return {
    ...(v.category !== 'all' ? { category: v.category } : {}),
    ...(v.action?.trim() ? { action: v.action.trim() } : {}),
    ...(v.actorId?.trim() ? { actorId: v.actorId.trim() } : {}),
    ...(v.subject?.trim() ? { subject: v.subject.trim().toLowerCase() } : {}),
    ...(from ? { from: from.startOf('day').valueOf() } : {}),
    ...(to ? { to: to.endOf('day').valueOf() + 1 } : {}),
  };
}

export function EvidenceFilters({ onSearch }: { onSearch: (v: EvidenceFilterValues) => void }) {
  const { t } = useTranslation('files');
  return (
    <Form<EvidenceFilterValues>
      layout="inline"
      className="zx-evidence-filters"
      initialValues={{ category: 'file' }}
      onFinish={onSearch}
    >
      <Form.Item name="category" label={t('evidence.category')}>
        <Select
          style={{ width: 120 }}
          data-testid="evidence-category"
          options={[
            { value: 'all', label: t('evidence.categories.all') },
            ...CATEGORIES.map((c) => ({ value: c, label: t(`evidence.categories.${c}`) })),
          ]}
        />
      </Form.Item>
      <Form.Item name="action" label={t('evidence.action')}>
        <Input placeholder="file." allowClear style={{ width: 150 }} data-testid="evidence-action" />
      </Form.Item>
      <Form.Item name="actorId" label={t('evidence.actor')}>
        <Input
          placeholder={t('evidence.userId')}
          allowClear
          style={{ width: 170 }}
          data-testid="evidence-actor"
        />
      </Form.Item>
      <Form.Item name="subject" label={t('evidence.subject')}>
        <Input
          placeholder={t('evidence.subjectHint')}
          allowClear
          style={{ width: 220 }}
          data-testid="evidence-subject"
        />
      </Form.Item>
      <Form.Item name="range" label={t('evidence.time')}>
        <DatePicker.RangePicker allowEmpty={[true, true]} />
      </Form.Item>
      <Form.Item>
        <Button type="primary" htmlType="submit" data-testid="evidence-search">
          {t('evidence.search')}
        </Button>
      </Form.Item>
    </Form>
  );
}
