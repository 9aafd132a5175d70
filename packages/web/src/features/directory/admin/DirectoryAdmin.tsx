import { Tabs, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { CsvImport } from './CsvImport.tsx';
import { DepartmentTreeAdmin } from './DepartmentTreeAdmin.tsx';
import { LdapImport } from './LdapImport.tsx';
import '../directory.css';

/** /admin/directory: edit the department tree, import from CSV or LDAP. */
export default function DirectoryAdmin() {
  const { t } = useTranslation('directory');
  return (
    <div className="zx-dir-admin" data-testid="admin-dir">
      <Typography.Title level={3}>{t('admin.title')}</Typography.Title>
      <Tabs
        items={[
          {
            key: 'tree',
            label: <span data-testid="admin-dir-tab-tree">{t('admin.tabs.tree')}</span>,
            children: <DepartmentTreeAdmin />,
          },
          {
            key: 'csv',
            label: <span data-testid="admin-dir-tab-csv">{t('admin.tabs.csv')}</span>,
            children: <CsvImport />,
          },
          {
            key: 'ldap',
            label: <span data-testid="admin-dir-tab-ldap">{t('admin.tabs.ldap')}</span>,
            children: <LdapImport />,
          },
        ]}
      />
    </div>
  );
}
