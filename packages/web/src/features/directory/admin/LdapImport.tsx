import type { ImportLdapBody, ImportReport } from '@zhixin/protocol';
import { Alert, Button, Checkbox, Form, Input, Space } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { client } from '../../../app/client.ts';
import { reloadDirectoryTree } from '../useDirectoryTree.ts';
import { directoryErrorText } from './errors.ts';
import { ImportReportView } from './ImportReportView.tsx';

interface LdapForm {
  url: string;
  bindDN: string;
  password: string;
  baseDN: string;
  filter: string;
  phone: string;
  nickname: string;
  title: string;
  department: string;
  save: boolean;
}

const DEFAULTS: LdapForm = {
  url: 'ldap://',
  bindDN: '',
  password: '',
  baseDN: '',
  filter: '(objectClass=inetOrgPerson)',
  phone: 'mobile',
  nickname: 'displayName',
  title: 'title',
  department: '',
  save: false,
};

const FIELDS: Array<{ name: keyof Omit<LdapForm, 'save' | 'password'>; label: string; id: string }> = [
  { name: 'url', label: 'admin.ldap.url', id: 'url' },
  { name: 'bindDN', label: 'admin.ldap.bindDN', id: 'binddn' },
  { name: 'baseDN', label: 'admin.ldap.baseDN', id: 'basedn' },
  { name: 'filter', label: 'admin.ldap.filter', id: 'filter' },
  { name: 'phone', label: 'admin.ldap.attrPhone', id: 'attr-phone' },
  { name: 'nickname', label: 'admin.ldap.attrNickname', id: 'attr-nickname' },
  { name: 'title', label: 'admin.ldap.attrTitle', id: 'attr-title' },
  { name: 'department', label: 'admin.ldap.attrDepartment', id: 'attr-department' },
];

function toBody(v: LdapForm, dryRun: boolean): ImportLdapBody {
  return {
    url: v.url.trim(),
    bindDN: v.bindDN.trim(),
    baseDN: v.baseDN.trim(),
    filter: v.filter.trim(),
    attributes: {
      phone: v.phone.trim(),
      nickname: v.nickname.trim(),
      title: v.title.trim(),
      department: v.department.trim(),
    },
    // An empty password field means "the saved one"; the server keeps none unless asked.
    ...(v.password ? { password: v.password } : {}),
    dryRun,
    ...(v.save ? { save: true } : {}),
  };
}

/** LDAP/AD import: server, bind, search and attribute mapping; dry run, then import. */
export function LdapImport() {
  const { t } = useTranslation('directory');
  const [form] = Form.useForm<LdapForm>();
  const [hasSaved, setHasSaved] = useState(false);
  const [report, setReport] = useState<ImportReport | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');

  useEffect(() => {
    let live = true;
    client.directory
      .ldapConfig()
      .then(({ source, hasPassword }) => {
        if (!live || !source) return;
        setHasSaved(hasPassword);
        form.setFieldsValue({ ...source, ...source.attributes });
      })
      .catch((err: unknown) => live && setError(directoryErrorText(t, err)));
    return () => {
      live = false;
    };
  }, [form, t]);

  const run = async (dryRun: boolean) => {
    const values = await form.validateFields();
    setBusy(true);
    setError('');
    try {
      setReport(await client.directory.importLdap(toBody(values, dryRun)));
      form.setFieldValue('password', '');
      if (values.save && values.password) setHasSaved(true);
      if (!dryRun) await reloadDirectoryTree();
    } catch (err) {
      setError(directoryErrorText(t, err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Form form={form} layout="vertical" initialValues={DEFAULTS} style={{ maxWidth: 560 }}>
        {FIELDS.map((f) => (
          <Form.Item
            key={f.name}
            name={f.name}
            label={t(f.label)}
            rules={
              ['url', 'baseDN', 'filter', 'phone', 'nickname'].includes(f.name) ? [{ required: true }] : []
            }
          >
            <Input data-testid={`ldap-import-${f.id}`} autoComplete="off" />
          </Form.Item>
        ))}
        <Form.Item
          name="password"
          label={t('admin.ldap.password')}
          extra={hasSaved ? t('admin.ldap.passwordSaved') : undefined}
        >
          <Input.Password data-testid="ldap-import-password" autoComplete="new-password" />
        </Form.Item>
        <Form.Item name="save" valuePropName="checked">
          <Checkbox data-testid="ldap-import-save">{t('admin.ldap.save')}</Checkbox>
        </Form.Item>
      </Form>
      <Space>
        <Button onClick={() => void run(true)} loading={busy} data-testid="ldap-import-dryrun">
          {t('admin.ldap.dryRun')}
        </Button>
        <Button
          type="primary"
          onClick={() => void run(false)}
          disabled={busy || !report?.dryRun}
          data-testid="ldap-import-run"
        >
          {t('admin.ldap.run')}
        </Button>
      </Space>
      {error && <Alert type="error" showIcon title={error} data-testid="ldap-import-error" />}
      {report && <ImportReportView report={report} prefix="ldap-import" />}
    </Space>
  );
}
