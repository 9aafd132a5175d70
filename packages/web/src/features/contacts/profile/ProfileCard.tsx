import type { PublicProfile } from '@zhixin/sdk';
import { useTranslation } from 'react-i18next';
import { Avatar } from '../../../components/UserAvatar.tsx';

interface ProfileCardProps {
  userId: string;
  profile: PublicProfile | undefined;
  /** My remark for them; empty when none. */
  remark: string;
  /** undefined while unknown (or for myself, where it is not shown). */
  online?: boolean;
}

/**
 * Who someone is: avatar, the name I know them by, and, when I gave them a remark, their own
 * nickname beside it (R-U6: both show), presence and signature.
 */
export function ProfileCard({ userId, profile, remark, online }: ProfileCardProps) {
  const { t } = useTranslation('contacts');
  const nickname = profile?.nickname ?? '';
  const showNickname = Boolean(remark) && remark !== nickname;
  return (
    <div className="zx-ct-card">
      <Avatar imageId={profile?.avatarFileId} name={nickname} colorKey={userId} size={64} />
      <div className="zx-ct-card-text">
        <div className="zx-ct-card-name" data-testid={showNickname ? 'profile-remark' : 'profile-nickname'}>
          {remark || nickname}
        </div>
        {showNickname && (
          <div className="zx-ct-card-sub" data-testid="profile-nickname">
            {t('profile.nickname', { nickname })}
          </div>
        )}
        {online !== undefined && (
          <div className="zx-ct-card-sub">
            <span className={online ? 'zx-ct-dot zx-ct-dot-on' : 'zx-ct-dot'} />
            {online ? t('profile.online') : t('profile.offline')}
          </div>
        )}
      </div>
    </div>
  );
}
