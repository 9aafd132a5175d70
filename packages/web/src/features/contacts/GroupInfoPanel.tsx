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
import { GroupAdminMembers } from './groups/GroupAdminMembers.tsx';
import { GroupAnnouncement } from './groups/GroupAnnouncement.tsx';
import { GroupJoinRequests } from './groups/GroupJoinRequests.tsx';
import { GroupManage } from './groups/GroupManage.tsx';
import { GroupMemberGrid } from './groups/GroupMemberGrid.tsx';
import { GroupNicknameRow } from './groups/GroupNicknameRow.tsx';
import { GroupQrSection } from './groups/GroupQrSection.tsx';
import { useGroupsErrorText } from './groups/errors.ts';
import { GroupMySettings } from './groups/GroupMySettings.tsx';
import { GroupAvatarRow } from './groups/GroupAvatarRow.tsx';
import { GroupTitleRow } from './groups/GroupTitleRow.tsx';
import { useGroup } from './groups/useGroup.ts';
import { useContactsErrorText } from './useContactsErrorText.ts';
import './contacts.css';
import './contacts-detail.css';

/**
 * Everything about a group for its members: announcement, the members (open a profile, invite,
 * remove), name, my group nickname, the group QR code, my mute and pin, and leaving; for the owner
 * and admins also join requests, mute all, join approval, per-member actions, transfer and
 * dissolve. The chats feature shows it in a drawer (desktop) or a popup (mobile).
 */
export function GroupInfoPanel({ conversationId, onClose }: { conversationId: string; onClose: () => void }) {
  const { t } = useTranslation('contacts');
  const navigate = useNavigate();
  const me = useSession((s) => s.me);
  const confirm = useConfirm();
  const notice = useNotice();
  const errorText = useContactsErrorText();
  const groupErrorText = useGroupsErrorText();
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
  const dissolved = (conversation.group?.dissolvedAt ?? null) !== null;
  const canManage = (role === 'owner' || role === 'admin') && !dissolved;

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
      notice(groupErrorText(err), 'error');
      setLeaving(false);
    }
  };

  return (
    <div className="zx-ct-info" data-testid="group-info" data-conversation-id={conversationId}>
      <GroupAnnouncement conversation={conversation} canEdit={canManage} />
      <div className="zx-ct-section-title">{t('info.members', { count: members.length })}</div>
      <GroupMemberGrid
        members={members}
        removing={removing}
        canAdd={!dissolved}
        canRemove={canManage}
        myId={me.id}
        myRole={role}
        onOpen={openProfile}
        onAdd={() => setAdding(true)}
        onToggleRemoving={() => setRemoving((r) => !r)}
        onRemove={(m) => void remove(m)}
      />
      <div className="zx-ct-rows">
        <GroupAvatarRow conversation={conversation} canChange={canManage} />
        <GroupTitleRow conversationId={conversationId} title={conversation.title} canRename={canManage} />
      </div>
      {!dissolved && (
        <>
          <GroupNicknameRow
            conversationId={conversationId}
            me={members.find((m) => m.userId === me.id)}
            onChanged={reload}
          />
          <GroupQrSection conversationId={conversationId} canRefresh={canManage} />
        </>
      )}
      {canManage && (
        <>
          <GroupJoinRequests conversationId={conversationId} onChanged={reload} />
          <GroupManage conversation={conversation} members={members} myId={me.id} onChanged={reload} />
          <GroupAdminMembers
            conversationId={conversationId}
            members={members}
            myId={me.id}
            myRole={role}
            onChanged={reload}
          />
        </>
      )}
      <GroupMySettings conversation={conversation} />
      <div className="zx-ct-actions">
        <ActionButton testId="group-leave" kind="danger" block loading={leaving} onClick={() => void leave()}>
          {t('info.leave')}
        </ActionButton>
      </div>
    </div>
  );
}
