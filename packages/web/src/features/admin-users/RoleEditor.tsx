import type { Role } from '@zhixin/protocol';
import type { AdminUser } from '@zhixin/sdk';
import { App, Button, Select, Space, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { client } from '../../app/client.ts';
import { useSession } from '../../app/session.ts';
import { useAdminErrorText } from './errors.ts';

const ROLES: Role[] = ['user', 'operator', 'auditor', 'admin'];

/** The role editor: shown to administrators only, disabled for their own account. */
export function RoleEditor({ user, onSaved }: { user: AdminUser; onSaved: () => void }) {
  const { t } = useTranslation('adminUsers');
  const { message } = App.useApp();
  const errorText = useAdminErrorText();
  const me = useSession((s) => s.me);
  const [role, setRole] = useState<Role>(user.role);
  useEffect(() => setRole(user.role), [user.role]);
  if (me?.role !== 'admin') return null;
  const own = me.id === user.id;
  return (
    <div className="zx-au-section">
      <Typography.Title level={5}>{t('detail.roleTitle')}</Typography.Title>
      <Space>
        <Select<Role>
          style={{ width: 180 }}
          value={role}
          disabled={own}
          data-testid="admin-user-role"
          options={ROLES.map((r) => ({ value: r, label: t(`role.${r}`) }))}
          onChange={setRole}
        />
        <Button
          type="primary"
          disabled={own || role === user.role}
          data-testid="admin-user-role-save"
          onClick={() =>
            void client.admin
              .setRole(user.id, role)
              .then(() => {
                void message.success(t('detail.roleSaved'));
                onSaved();
              })
              .catch((err: unknown) => void message.error(errorText(err)))
          }
        >
          {t('common.save')}
        </Button>
        {own && <Typography.Text type="secondary">{t('detail.ownRole')}</Typography.Text>}
      </Space>
    </div>
  );
}
