import { MessageOutlined, StopOutlined, UserAddOutlined } from '@ant-design/icons';
import type { PublicProfile } from '@zhixin/sdk';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { client } from '../../../app/client.ts';
import { useLayoutKind } from '../../../app/layout.ts';
import { blockUser, unblockUser, useIsBlocked } from '../../friends/friends-store.ts';
import { RequestForm } from '../../friends/RequestForm.tsx';
import { ActionButton, useConfirm, useNotice } from '../controls.tsx';
import { useContactsErrorText } from '../useContactsErrorText.ts';
import { useOpenChat } from '../useOpenChat.ts';

type Busy = 'chat' | 'remove' | 'block' | null;

interface ProfileActionsProps {
  userId: string;
  profile: PublicProfile | undefined;
  isContact: boolean;
  /** How I call them (remark, else nickname), for the confirmations. */
  name: string;
}

/** What I can do with someone: message, add as a friend or delete the friendship, block or unblock. */
export function ProfileActions({ userId, profile, isContact, name }: ProfileActionsProps) {
  const { t } = useTranslation('contacts');
  const layout = useLayoutKind();
  const navigate = useNavigate();
  const openChat = useOpenChat();
  const confirm = useConfirm();
  const notice = useNotice();
  const errorText = useContactsErrorText();
  const blocked = useIsBlocked(userId);
  const [busy, setBusy] = useState<Busy>(null);
  const [requesting, setRequesting] = useState(false);

  const run = async (what: Busy, action: () => Promise<void>) => {
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
      // The contact.removed event takes them out of my list on every device, this one included.
      await client.friends.remove(userId);
      notice(t('profile.removed'));
      if (layout === 'mobile') void navigate('/contacts', { replace: true });
    });
  };

  const toggleBlock = async () => {
    if (blocked) {
      await run('block', async () => {
        await unblockUser(userId);
        notice(t('profile.unblocked'));
      });
      return;
    }
    const ok = await confirm({
      title: t('profile.blockConfirmTitle'),
      content: t('profile.blockConfirm', { name }),
      okText: t('profile.block'),
      danger: true,
    });
    if (ok)
      await run('block', async () => {
        await blockUser(userId);
        notice(t('profile.blocked'));
      });
  };

  const block = layout === 'mobile';
  return (
    <>
      {requesting && profile && (
        <div className="zx-ct-found zx-fr-request-form" data-testid="profile-request-form">
          <RequestForm profile={profile} onSent={() => setRequesting(false)} />
        </div>
      )}
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
          !requesting &&
          !blocked && (
            <ActionButton
              testId="profile-add-contact"
              block={block}
              icon={<UserAddOutlined />}
              onClick={() => setRequesting(true)}
            >
              {t('profile.addContact')}
            </ActionButton>
          )
        )}
        <ActionButton
          testId={blocked ? 'unblock-user' : 'block-user'}
          block={block}
          icon={<StopOutlined />}
          loading={busy === 'block'}
          onClick={() => void toggleBlock()}
        >
          {blocked ? t('profile.unblock') : t('profile.block')}
        </ActionButton>
      </div>
    </>
  );
}
