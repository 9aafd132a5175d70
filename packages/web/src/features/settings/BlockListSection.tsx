import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { Avatar } from '../../components/UserAvatar.tsx';
import { useLayoutKind } from '../../app/layout.ts';
import { unblockUser, useFriends, useFriendsSync } from '../friends/friends-store.ts';
import { SettingsGroup, SettingsRow, useNotice } from './ui.tsx';

/** The users I blocked, each with an unblock button; a name opens their profile. */
export function BlockListSection() {
  const { t } = useTranslation('friends');
  const layout = useLayoutKind();
  const navigate = useNavigate();
  const notice = useNotice();
  useFriendsSync();
  const blocked = useFriends((s) => s.blocked);
  const loaded = useFriends((s) => s.blockedLoaded);
  const [busy, setBusy] = useState<string | null>(null);

  const unblock = async (userId: string) => {
    setBusy(userId);
    try {
      await unblockUser(userId);
      notice.success(t('blocked.unblocked'));
    } catch {
      notice.error(t('errors.failed'));
    } finally {
      setBusy(null);
    }
  };

  return (
    <div data-testid="blocked-list">
      <SettingsGroup title={t('blocked.hint')}>
        {loaded && blocked.length === 0 && <SettingsRow label={t('blocked.empty')} />}
        {blocked.map((b) => (
          <SettingsRow
            key={b.userId}
            testId="blocked-item"
            prefix={
              <Avatar
                imageId={b.profile.avatarFileId}
                name={b.profile.nickname}
                colorKey={b.userId}
                size={layout === 'mobile' ? 36 : 32}
              />
            }
            label={
              <button
                type="button"
                className="zx-link-button zx-fr-blocked-name"
                onClick={() => void navigate(`/contacts/${encodeURIComponent(b.userId)}`)}
              >
                {b.profile.nickname}
              </button>
            }
            extra={
              <button
                type="button"
                className="zx-link-button"
                data-testid="unblock-user"
                data-user-id={b.userId}
                disabled={busy === b.userId}
                onClick={() => void unblock(b.userId)}
              >
                {t('blocked.unblock')}
              </button>
            }
          />
        ))}
      </SettingsGroup>
    </div>
  );
}
