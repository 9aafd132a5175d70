import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { FriendRequest } from '@zhixin/sdk';
import { useLayoutKind } from '../../../app/layout.ts';
import { useSession } from '../../../app/session.ts';
import { useContact, useOnline, useProfile } from '../../../data/people.ts';
import { AcceptDialog } from '../../friends/AcceptDialog.tsx';
import { useFriendsSync, useIsBlocked, usePendingRequestFrom } from '../../friends/friends-store.ts';
import { ActionButton } from '../controls.tsx';
import { ScreenFrame } from '../ScreenFrame.tsx';
import { ProfileActions } from './ProfileActions.tsx';
import { ProfileCard } from './ProfileCard.tsx';
import { RemarkEditor } from './RemarkEditor.tsx';

/** Someone's profile (`/contacts/:userId`): who they are, my remark, and what I can do with them. */
export function ProfileView({ userId }: { userId: string }) {
  const { t } = useTranslation('contacts');
  const me = useSession((s) => s.me);
  const isMe = me?.id === userId;
  const profile = useProfile(isMe ? null : userId);
  const contact = useContact(userId);
  const online = useOnline(isMe ? null : userId);
  useFriendsSync();
  const blocked = useIsBlocked(userId);
  const shown =
    isMe && me
      ? {
          id: me.id,
          nickname: me.nickname,
          avatarFileId: me.avatarFileId,
          signature: me.signature,
          account: me.account,
        }
      : profile;

  return (
    <ScreenFrame backTo="/contacts">
      <div className="zx-ct-profile" data-testid="profile-page" data-user-id={userId}>
        <ProfileCard
          userId={userId}
          profile={shown}
          remark={contact?.remark ?? ''}
          online={isMe ? undefined : online}
        />
        {!isMe && !contact && <IncomingRequest userId={userId} />}
        <div className="zx-ct-rows">
          {contact && <RemarkEditor userId={userId} remark={contact.remark} />}
          {shown?.account && (
            <div className="zx-ct-row">
              <span className="zx-ct-row-label">{t('profile.account')}</span>
              <span className="zx-ct-row-value" data-testid="profile-account">
                {shown.account}
              </span>
            </div>
          )}
          <div className="zx-ct-row">
            <span className="zx-ct-row-label">{t('profile.signature')}</span>
            <span className={shown?.signature ? 'zx-ct-row-value' : 'zx-ct-row-value zx-ct-muted'}>
              {shown?.signature || t('profile.noSignature')}
            </span>
          </div>
        </div>
        {isMe ? (
          <MyProfileActions />
        ) : (
          <ProfileActions
            userId={userId}
            profile={profile}
            isContact={Boolean(contact)}
            name={contact?.remark || profile?.nickname || ''}
          />
        )}
        {blocked && (
          <p className="zx-ct-muted zx-fr-blocked-note" data-testid="profile-blocked">
            {t('profile.blockedNote')}
          </p>
        )}
      </div>
    </ScreenFrame>
  );
}

function MyProfileActions() {
  const { t } = useTranslation('contacts');
  const layout = useLayoutKind();
  return (
    <div className="zx-ct-actions">
      <p className="zx-ct-muted">{t('profile.me')}</p>
      <Link className="zx-ct-link" to={layout === 'mobile' ? '/me' : '/settings/profile'}>
        {t('profile.editMine')}
      </Link>
    </div>
  );
}

/** A pending request from this user to me: their message, and accept right here (R-U6). */
function IncomingRequest({ userId }: { userId: string }) {
  const { t } = useTranslation('contacts');
  const { t: tf } = useTranslation('friends');
  const request = usePendingRequestFrom(userId);
  const [accepting, setAccepting] = useState<FriendRequest | null>(null);
  if (!request) return null;
  return (
    <div className="zx-fr-request-box" data-testid="profile-request" data-request-id={request.id}>
      <p>
        {t('profile.requestMessage')}：<span data-testid="friend-request-message">{request.message}</span>
      </p>
      <ActionButton small kind="primary" testId="friend-request-accept" onClick={() => setAccepting(request)}>
        {tf('requests.accept')}
      </ActionButton>
      <AcceptDialog request={accepting} onClose={() => setAccepting(null)} />
    </div>
  );
}
