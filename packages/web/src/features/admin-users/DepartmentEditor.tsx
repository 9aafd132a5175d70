import type { AdminUserDetail } from '@zhixin/sdk';
import { App, Button, Input, Select, Space, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { client } from '../../app/client.ts';
import { useDepartmentOptions } from './departments.ts';
import { useAdminErrorText } from './errors.ts';

/** Change a user's primary department and title (other departments are kept). */
export function DepartmentEditor({ detail, onSaved }: { detail: AdminUserDetail; onSaved: () => void }) {
  const { t } = useTranslation('adminUsers');
  const { message } = App.useApp();
  const errorText = useAdminErrorText();
  const options = useDepartmentOptions();
  const current = detail.departments.departments;
  const primary = current.find((d) => d.primary) ?? current[0];
  const [departmentId, setDepartmentId] = useState<string | undefined>(primary?.departmentId);
  const [title, setTitle] = useState(primary?.title ?? '');
  useEffect(() => {
    setDepartmentId(primary?.departmentId);
    setTitle(primary?.title ?? '');
  }, [primary?.departmentId, primary?.title]);

  const save = async () => {
    if (!departmentId) return;
    const others = current
      .filter((d) => d.departmentId !== departmentId && d.departmentId !== primary?.departmentId)
      .map((d) => ({ departmentId: d.departmentId, title: d.title, primary: false }));
    try {
      await client.admin.setDepartments(detail.user.id, [
        { departmentId, title: title.trim(), primary: true },
        ...others,
      ]);
      void message.success(t('detail.departmentSaved'));
      onSaved();
    } catch (err) {
      void message.error(errorText(err));
    }
  };

  return (
    <div className="zx-au-section">
      <Typography.Title level={5}>{t('detail.changeDepartment')}</Typography.Title>
      <Space wrap>
        <Select
          style={{ width: 260 }}
          value={departmentId}
          options={options}
          showSearch={{ optionFilterProp: 'label' }}
          placeholder={t('users.department')}
          data-testid="admin-user-department"
          onChange={setDepartmentId}
        />
        <Input
          style={{ width: 140 }}
          maxLength={64}
          placeholder={t('detail.departmentTitle')}
          value={title}
          onChange={(e) => setTitle(e.target.value)}
        />
        <Button disabled={!departmentId} onClick={() => void save()} data-testid="admin-user-department-save">
          {t('common.save')}
        </Button>
      </Space>
    </div>
  );
}
