import { MessageOutlined, UserAddOutlined } from '@ant-design/icons';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { useLayoutKind } from '../../../app/layout.ts';
import { useSession } from '../../../app/session.ts';
import { addContact, deleteContact, useContact, useOnline, useProfile } from '../../../data/people.ts';
import { ActionButton, useConfirm, useNotice } from '../controls.tsx';
import { ScreenFrame } from '../ScreenFrame.tsx';
import { useContactsErrorText } from '../useContactsErrorText.ts';
import { useOpenChat } from '../useOpenChat.ts';
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
  const shown =
    isMe && me
      ? { id: me.id, nickname: me.nickname, avatarFileId: me.avatarFileId, signature: me.signature }
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
        <div className="zx-ct-rows">
          {contact && <RemarkEditor userId={userId} remark={contact.remark} />}
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
            isContact={Boolean(contact)}
            name={contact?.remark || profile?.nickname || ''}
          />
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

function ProfileActions({ userId, isContact, name }: { userId: string; isContact: boolean; name: string }) {
  const { t } = useTranslation('contacts');
  const layout = useLayoutKind();
  const navigate = useNavigate();
  const openChat = useOpenChat();
  const confirm = useConfirm();
  const notice = useNotice();
  const errorText = useContactsErrorText();
  const [busy, setBusy] = useState<'chat' | 'add' | 'remove' | null>(null);

  const run = async (what: 'chat' | 'add' | 'remove', action: () => Promise<void>) => {
    setBusy(what);
    try {
      await action();
    } catch (err) {
      notice(errorText(err), 'error');
    } finally {
      setBusy(null);
    }
  };

  const remove = async () => {
    const ok = await confirm({
      title: t('profile.removeConfirmTitle'),
      content: t('profile.removeConfirm', { name }),
      okText: t('profile.remove'),
      danger: true,
    });
    if (!ok) return;
    await run('remove', async () => {
      await deleteContact(userId);
      notice(t('profile.removed'));
      // On a phone the profile of a removed contact has nothing left to do; go back to the list.
      if (layout === 'mobile') void navigate('/contacts', { replace: true });
    });
  };

  const block = layout === 'mobile';
  return (
    <div className="zx-ct-actions">
      <ActionButton
        testId="profile-send-message"
        kind="primary"
        block={block}
        icon={<MessageOutlined />}
        loading={busy === 'chat'}
        onClick={() => void run('chat', () => openChat(userId))}
      >
        {t('profile.sendMessage')}
      </ActionButton>
      {isContact ? (
        <ActionButton
          testId="profile-remove-contact"
          kind="danger"
          block={block}
          loading={busy === 'remove'}
          onClick={() => void remove()}
        >
          {t('profile.removeContact')}
        </ActionButton>
      ) : (
        <ActionButton
          testId="profile-add-contact"
          block={block}
          icon={<UserAddOutlined />}
          loading={busy === 'add'}
          onClick={() =>
            void run('add', async () => {
              await addContact(userId);
              notice(t('profile.added'));
            })
          }
        >
          {t('profile.addContact')}
        </ActionButton>
      )}
    </div>
  );
}
