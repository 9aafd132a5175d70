import type { Member } from '@zhixin/sdk';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { client } from '../../app/client.ts';
import { useSession } from '../../app/session.ts';
import { leaveGroup } from '../../data/conversation-ops.ts';
import { displayNameOf } from '../../data/people.ts';
import { ActionButton, useConfirm, useNotice } from './controls.tsx';
import { AddMembersView } from './groups/AddMembersView.tsx';
import { GroupMemberGrid } from './groups/GroupMemberGrid.tsx';
import { GroupMySettings } from './groups/GroupMySettings.tsx';
import { GroupTitleRow } from './groups/GroupTitleRow.tsx';
import { useGroup } from './groups/useGroup.ts';
import { useContactsErrorText } from './useContactsErrorText.ts';
import './contacts.css';
import './contacts-detail.css';

/**
 * Everything about a group for its members: name (renamed by owner or admins), the members
 * (open a profile, invite, remove), my mute and pin, and leaving. The chats feature shows it in
 * a drawer (desktop) or a popup (mobile). Each part is its own component, so the richer group
 * features (admins, announcements, QR codes) can be added beside them.
 */
export function GroupInfoPanel({ conversationId, onClose }: { conversationId: string; onClose: () => void }) {
  const { t } = useTranslation('contacts');
  const navigate = useNavigate();
  const me = useSession((s) => s.me);
  const confirm = useConfirm();
  const notice = useNotice();
  const errorText = useContactsErrorText();
  const { conversation, members, error, reload } = useGroup(conversationId);
  const [adding, setAdding] = useState(false);
  const [removing, setRemoving] = useState(false);
  const [leaving, setLeaving] = useState(false);

  if (error && !members)
    return (
      <div className="zx-ct-info" data-testid="group-info">
        <p className="zx-ct-empty">{errorText(error)}</p>
      </div>
    );
  if (!conversation || !members || !me)
    return <div className="zx-ct-info" data-testid="group-info" aria-busy="true" />;

  if (adding)
    return (
      <div className="zx-ct-info" data-testid="group-info">
        <AddMembersView
          conversationId={conversationId}
          members={members}
          onDone={(added) => {
            setAdding(false);
            if (added) reload();
          }}
        />
      </div>
    );

  const role = conversation.role;
  const canManage = role === 'owner' || role === 'admin';

  const openProfile = (userId: string) => {
    onClose();
    void navigate(`/contacts/${encodeURIComponent(userId)}`);
  };

  const remove = async (member: Member) => {
    const name = displayNameOf(member.userId);
    const ok = await confirm({
      title: t('info.removeMembers'),
      content: t('info.removeConfirm', { name }),
      okText: t('info.remove'),
      danger: true,
    });
    if (!ok) return;
    try {
      await client.conversations.removeMembers(conversationId, [member.userId]);
      notice(t('info.removed'));
      reload();
    } catch (err) {
      notice(errorText(err), 'error');
    }
  };

  const leave = async () => {
    const ok = await confirm({
      title: t('info.leave'),
      content: t('info.leaveConfirm', { title: conversation.title }),
      okText: t('info.leave'),
      danger: true,
    });
    if (!ok) return;
    setLeaving(true);
    try {
      await leaveGroup(conversationId);
      notice(t('info.left'));
      onClose();
      void navigate('/chats', { replace: true });
    } catch (err) {
      notice(errorText(err), 'error');
      setLeaving(false);
    }
  };

  return (
    <div className="zx-ct-info" data-testid="group-info" data-conversation-id={conversationId}>
      <div className="zx-ct-section-title">{t('info.members', { count: members.length })}</div>
      <GroupMemberGrid
        members={members}
        removing={removing}
        canAdd
        canRemove={canManage}
        myId={me.id}
        myRole={role}
        onOpen={openProfile}
        onAdd={() => setAdding(true)}
        onToggleRemoving={() => setRemoving((r) => !r)}
        onRemove={(m) => void remove(m)}
      />
      <div className="zx-ct-rows">
        <GroupTitleRow conversationId={conversationId} title={conversation.title} canRename={canManage} />
      </div>
      <GroupMySettings conversation={conversation} />
      <div className="zx-ct-actions">
        <ActionButton testId="group-leave" kind="danger" block loading={leaving} onClick={() => void leave()}>
          {t('info.leave')}
        </ActionButton>
      </div>
    </div>
  );
}
