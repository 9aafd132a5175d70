import { useTranslation } from 'react-i18next';
import { useProfile } from '../data/people.ts';
import './official-badge.css';

/** Whether the user is an official account (the operations account): its profile says so. */
export function useIsOfficial(userId: string | null | undefined): boolean {
  return useProfile(userId)?.official === true;
}

/** The small blue "官方" tag shown beside an official account's name. */
export function OfficialBadge() {
  const { t } = useTranslation('opsaccount');
  return (
    <span className="zx-official-badge" data-testid="official-badge">
      {t('official')}
    </span>
  );
}

/** The badge when `userId` is an official account, else nothing. */
export function OfficialBadgeFor({ userId }: { userId: string | null | undefined }) {
  return useIsOfficial(userId) ? <OfficialBadge /> : null;
}
