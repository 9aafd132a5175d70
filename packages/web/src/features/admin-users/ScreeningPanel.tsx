import type { ScreeningPreview, ScreeningRules } from '@zhixin/sdk';
import { App, Button, Card, Checkbox, InputNumber, Radio, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { client } from '../../app/client.ts';
import { formatTime, useAdminErrorText } from './errors.ts';
import { TypeToConfirm } from './TypeToConfirm.tsx';

type Candidate = ScreeningPreview['candidates'][number];

interface RuleForm {
  neverActivated: boolean;
  neverActivatedDays: number;
  inactive: boolean;
  inactiveDays: number;
  disabled: boolean;
  duplicatePhone: boolean;
  leftOrganisation: boolean;
}

function toRules(f: RuleForm): ScreeningRules {
  return {
    ...(f.neverActivated ? { neverActivatedDays: f.neverActivatedDays } : {}),
    ...(f.inactive ? { inactiveDays: f.inactiveDays } : {}),
    ...(f.disabled ? { disabled: true } : {}),
    ...(f.duplicatePhone ? { duplicatePhone: true } : {}),
    ...(f.leftOrganisation ? { leftOrganisation: true } : {}),
  };
}

/** Invalid-user screening: rules → dry-run list with checkboxes → deactivate with a policy (administrators). */
export function ScreeningPanel({ isAdmin, onApplied }: { isAdmin: boolean; onApplied: () => void }) {
  const { t } = useTranslation('adminUsers');
  const { message } = App.useApp();
  const errorText = useAdminErrorText();
  const [form, setForm] = useState<RuleForm>({
    neverActivated: true,
    neverActivatedDays: 30,
    inactive: true,
    inactiveDays: 180,
    disabled: true,
    duplicatePhone: true,
    leftOrganisation: true,
  });
  const [preview, setPreview] = useState<ScreeningPreview | null>(null);
  const [selected, setSelected] = useState<string[]>([]);
  const [policy, setPolicy] = useState<'keep' | 'purge'>('keep');
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const rules = toRules(form);
  const set = (p: Partial<RuleForm>) => setForm((f) => ({ ...f, ...p }));

  const run = async () => {
    setBusy(true);
    try {
      const result = await client.admin.previewScreening(rules);
      setPreview(result);
      setSelected(result.candidates.map((c) => c.user.id));
    } catch (err) {
      void message.error(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  const confirmWord = String(selected.length);
  return (
    <Card title={t('screening.title')} className="zx-au-section" data-testid="admin-screening">
      <Typography.Paragraph type="secondary">{t('screening.hint')}</Typography.Paragraph>
      <div className="zx-au-rules">
        <span>
          <Checkbox checked={form.neverActivated} onChange={(e) => set({ neverActivated: e.target.checked })}>
            {t('screening.neverActivated')}
          </Checkbox>
          <InputNumber
            min={0}
            max={3650}
            size="small"
            value={form.neverActivatedDays}
            onChange={(v) => set({ neverActivatedDays: v ?? 0 })}
          />{' '}
          {t('screening.days')}
        </span>
        <span>
          <Checkbox checked={form.inactive} onChange={(e) => set({ inactive: e.target.checked })}>
            {t('screening.inactive')}
          </Checkbox>
          <InputNumber
            min={1}
            max={3650}
            size="small"
            value={form.inactiveDays}
            onChange={(v) => set({ inactiveDays: v ?? 1 })}
          />{' '}
          {t('screening.days')}
        </span>
        <Checkbox checked={form.disabled} onChange={(e) => set({ disabled: e.target.checked })}>
          {t('screening.disabled')}
        </Checkbox>
        <Checkbox checked={form.duplicatePhone} onChange={(e) => set({ duplicatePhone: e.target.checked })}>
          {t('screening.duplicatePhone')}
        </Checkbox>
        <Checkbox
          checked={form.leftOrganisation}
          onChange={(e) => set({ leftOrganisation: e.target.checked })}
        >
          {t('screening.leftOrganisation')}
        </Checkbox>
      </div>
      <Button
        type="primary"
        loading={busy}
        disabled={Object.keys(rules).length === 0}
        data-testid="admin-screening-preview"
        onClick={() => void run()}
      >
        {t('screening.preview')}
      </Button>
      {Object.keys(rules).length === 0 && (
        <Typography.Text type="secondary"> {t('screening.noRules')}</Typography.Text>
      )}
      {preview && (
        <>
          <Typography.Paragraph style={{ marginTop: 16 }} data-testid="admin-screening-summary">
            {t('screening.scanned', { scanned: preview.scanned, count: preview.candidates.length })}
          </Typography.Paragraph>
          <Table<Candidate>
            rowKey={(c) => c.user.id}
            size="small"
            dataSource={preview.candidates}
            locale={{ emptyText: t('screening.empty') }}
            pagination={{ pageSize: 20, hideOnSinglePage: true }}
            rowSelection={{ selectedRowKeys: selected, onChange: (keys) => setSelected(keys.map(String)) }}
            columns={[
              {
                key: 'nickname',
                title: t('users.nickname'),
                render: (_, c) => <span data-testid="admin-screening-row">{c.user.nickname}</span>,
              },
              { key: 'phone', title: t('users.phone'), render: (_, c) => c.user.phoneMasked },
              { key: 'department', title: t('users.department'), render: (_, c) => c.user.department ?? '—' },
              {
                key: 'rules',
                title: t('screening.rules'),
                render: (_, c) => c.rules.map((r) => <Tag key={r}>{t(`screening.rule.${r}`)}</Tag>),
              },
              {
                key: 'active',
                title: t('users.lastActive'),
                render: (_, c) => formatTime(c.user.lastActiveAt, t('common.never')),
              },
            ]}
          />
          <div className="zx-au-actions" style={{ marginTop: 12, alignItems: 'center' }}>
            <Typography.Text>{t('screening.policy')}</Typography.Text>
            <Radio.Group value={policy} onChange={(e) => setPolicy(e.target.value as 'keep' | 'purge')}>
              <Radio value="keep">{t('screening.keep')}</Radio>
              <Radio value="purge">{t('screening.purge')}</Radio>
            </Radio.Group>
            <Button
              danger
              type="primary"
              disabled={!isAdmin || selected.length === 0}
              data-testid="admin-screening-apply"
              onClick={() => setConfirming(true)}
            >
              {t('screening.apply', { count: selected.length })}
            </Button>
            {!isAdmin && <Typography.Text type="secondary">{t('screening.adminOnly')}</Typography.Text>}
          </div>
        </>
      )}
      <TypeToConfirm
        open={confirming}
        title={t('screening.applyTitle', { count: selected.length })}
        text={t('screening.applyConfirm')}
        word={confirmWord}
        okText={t('common.confirm')}
        testId="admin-screening-confirm"
        onClose={() => setConfirming(false)}
        onConfirm={async () => {
          try {
            const res = await client.admin.applyScreening(selected, policy);
            void message.success(
              t('screening.applied', { count: res.deactivated.length, skipped: res.skipped.length }),
            );
            onApplied();
            await run();
          } catch (err) {
            void message.error(errorText(err));
          }
        }}
      />
    </Card>
  );
}
