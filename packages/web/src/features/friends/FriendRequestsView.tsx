import { isPendingRequest, type FriendRequest } from '@zhixin/sdk';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { Avatar } from '../../components/UserAvatar.tsx';
import { useContact } from '../../data/people.ts';
import { ActionButton, useNotice } from '../contacts/controls.tsx';
import { ScreenFrame } from '../contacts/ScreenFrame.tsx';
import { useContactsErrorText } from '../contacts/useContactsErrorText.ts';
import { PeopleYouMayKnow } from '../recommend/PeopleYouMayKnow.tsx';
import { AcceptDialog, remarkWithNickname } from './AcceptDialog.tsx';
import { declineFriendRequest, useFriends, useFriendsSync } from './friends-store.ts';
import './friends.css';

/** 新的朋友: requests to me (accept with a remark, or decline) and the ones I sent, newest first. */
export function FriendRequestsView() {
  const { t } = useTranslation('friends');
  useFriendsSync();
  const incoming = useFriends((s) => s.incoming);
  const outgoing = useFriends((s) => s.outgoing);
  const loaded = useFriends((s) => s.requestsLoaded);
  const [accepting, setAccepting] = useState<FriendRequest | null>(null);

  return (
    <ScreenFrame title={t('requests.title')} backTo="/contacts">
      <div className="zx-fr-list" data-testid="friend-request-list">
        {loaded && incoming.length === 0 && outgoing.length === 0 && (
          <p className="zx-ct-empty">{t('requests.empty')}</p>
        )}
        {incoming.length > 0 && <h3 className="zx-fr-heading">{t('requests.incoming')}</h3>}
        {incoming.map((r) => (
          <RequestItem key={r.id} request={r} incoming onAccept={() => setAccepting(r)} />
        ))}
        {outgoing.length > 0 && <h3 className="zx-fr-heading">{t('requests.outgoing')}</h3>}
        {outgoing.map((r) => (
          <RequestItem key={r.id} request={r} incoming={false} onAccept={() => undefined} />
        ))}
      </div>
      <PeopleYouMayKnow />
      <AcceptDialog request={accepting} onClose={() => setAccepting(null)} />
    </ScreenFrame>
  );
}

interface RequestItemProps {
  request: FriendRequest;
  incoming: boolean;
  onAccept: () => void;
}

function RequestItem({ request: r, incoming, onAccept }: RequestItemProps) {
  const { t } = useTranslation('friends');
  const navigate = useNavigate();
  const notice = useNotice();
  const errorText = useContactsErrorText();
  const [declining, setDeclining] = useState(false);
  const other = incoming ? r.from : r.to;
  const contact = useContact(other.id);
  const name = remarkWithNickname(contact?.remark ?? '', other.nickname);
  const pending = isPendingRequest(r);
  const status = pending ? 'pending' : r.status === 'pending' ? 'expired' : r.status;

  const decline = async () => {
    setDeclining(true);
    try {
      await declineFriendRequest(r);
      notice(t('requests.declinedNotice'));
    } catch (err) {
      notice(errorText(err), 'error');
    } finally {
      setDeclining(false);
    }
  };

  return (
    <div
      className="zx-fr-item"
      data-testid="friend-request-item"
      data-request-id={r.id}
      data-from-user-id={r.fromUserId}
      data-status={status}
    >
      <button
        type="button"
        className="zx-fr-who"
        data-testid="friend-request-profile"
        aria-label={t('requests.viewProfile')}
        onClick={() => void navigate(`/contacts/${encodeURIComponent(other.id)}`)}
      >
        <Avatar imageId={other.avatarFileId} name={other.nickname} colorKey={other.id} size={44} />
        <span className="zx-fr-text">
          <span className="zx-fr-name">{incoming ? name : t('requests.to', { name })}</span>
          <span className="zx-fr-message" data-testid="friend-request-message">
            {r.message || t('requests.noMessage')}
          </span>
        </span>
      </button>
      <div className="zx-fr-actions">
        {incoming && pending ? (
          <>
            <ActionButton
              small
              testId="friend-request-decline"
              loading={declining}
              onClick={() => void decline()}
            >
              {t('requests.decline')}
            </ActionButton>
            <ActionButton small kind="primary" testId="friend-request-accept" onClick={onAccept}>
              {t('requests.accept')}
            </ActionButton>
          </>
        ) : (
          <span className="zx-fr-status" data-testid="friend-request-status">
            {t(`requests.${status}`)}
          </span>
        )}
      </div>
    </div>
  );
}
