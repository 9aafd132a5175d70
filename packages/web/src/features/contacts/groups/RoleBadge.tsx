import type { Member } from '@zhixin/sdk';
import { useTranslation } from 'react-i18next';

/** 群主 / 管理员 beside a name; nothing for plain members. */
export function RoleBadge({ role }: { role: Member['role'] }) {
  const { t } = useTranslation('groups');
  if (role === 'member') return null;
  return (
    <span className="zx-gp-role" data-testid="group-role" data-role={role}>
      {t(`roles.${role}`)}
    </span>
  );
}
