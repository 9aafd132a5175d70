import type { Member } from '@zhixin/sdk';
import { useTranslation } from 'react-i18next';
import { client } from '../../../app/client.ts';
import { UserAvatar } from '../../../components/UserAvatar.tsx';
import { useDisplayName } from '../../../data/people.ts';
import { useConfirm, useNotice } from '../controls.tsx';
import { ActionMenu, type MenuAction } from './ActionMenu.tsx';
import { useGroupsErrorText } from './errors.ts';
import { RoleBadge } from './RoleBadge.tsx';
import { mayManage, type Role } from './roles.ts';

const MINUTE = 60_000;
const MUTES = [
  { key: 'mute10m', ms: 10 * MINUTE },
  { key: 'mute1h', ms: 60 * MINUTE },
  { key: 'mute1d', ms: 24 * 60 * MINUTE },
] as const;

interface Props {
  conversationId: string;
  members: readonly Member[];
  myId: string;
  myRole: Role;
  onChanged: () => void;
}

/** For the owner and admins: each member with role, group nickname and a menu of actions. */
export function GroupAdminMembers({ conversationId, members, myId, myRole, onChanged }: Props) {
  const { t } = useTranslation('groups');
  return (
    <div className="zx-gp-section">
      <div className="zx-gp-section-head">
        <span>{t('manage.title')}</span>
      </div>
      <div className="zx-gp-members">
        {members.map((m) => (
          <MemberRow
            key={m.userId}
            conversationId={conversationId}
            member={m}
            manageable={mayManage(myRole, myId, m)}
            isOwner={myRole === 'owner'}
            onChanged={onChanged}
          />
        ))}
      </div>
    </div>
  );
}

function MemberRow({
  conversationId,
  member: m,
  manageable,
  isOwner,
  onChanged,
}: {
  conversationId: string;
  member: Member;
  manageable: boolean;
  isOwner: boolean;
  onChanged: () => void;
}) {
  const { t } = useTranslation('groups');
  const notice = useNotice();
  const confirm = useConfirm();
  const errorText = useGroupsErrorText();
  const profileName = useDisplayName(m.userId);
  const name = m.nickname || profileName;
  const mutedUntil = m.mutedUntil && m.mutedUntil > Date.now() ? m.mutedUntil : null;

  const run = async (op: () => Promise<unknown>) => {
    try {
      await op();
      notice(t('members.done'));
      onChanged();
    } catch (err) {
      notice(errorText(err), 'error');
    }
  };

  const actions: MenuAction[] = [];
  if (isOwner)
    actions.push({
      key: 'admin',
      label: m.role === 'admin' ? t('members.unsetAdmin') : t('members.setAdmin'),
      testId: 'group-set-admin',
      onClick: () => void run(() => client.groups.setAdmin(conversationId, m.userId, m.role !== 'admin')),
    });
  for (const mute of MUTES)
    actions.push({
      key: mute.key,
      label: t(`members.${mute.key}`),
      testId: 'group-mute-member',
      onClick: () => void run(() => client.groups.muteMember(conversationId, m.userId, Date.now() + mute.ms)),
    });
  if (mutedUntil)
    actions.push({
      key: 'unmute',
      label: t('members.unmute'),
      testId: 'group-unmute-member',
      onClick: () => void run(() => client.groups.muteMember(conversationId, m.userId, null)),
    });
  actions.push({
    key: 'remove',
    label: t('members.remove'),
    testId: 'group-remove-member',
    danger: true,
    onClick: () =>
      void confirm({
        title: t('members.remove'),
        content: t('members.removeConfirm', { name }),
        okText: t('members.remove'),
        danger: true,
      }).then(async (ok) => {
        if (ok) await run(() => client.conversations.removeMembers(conversationId, [m.userId]));
      }),
  });

  return (
    <div className="zx-gp-row" data-testid="group-member-row" data-user-id={m.userId}>
      <UserAvatar userId={m.userId} size={32} />
      <div className="zx-gp-row-main">
        <span className="zx-gp-row-title">
          {name}
          <RoleBadge role={m.role} />
        </span>
        {(m.nickname || mutedUntil) && (
          <span className="zx-gp-row-sub">
            {m.nickname ? profileName : ''}
            {m.nickname && mutedUntil ? ' · ' : ''}
            {mutedUntil ? `${t('members.muted')} ${new Date(mutedUntil).toLocaleString()}` : ''}
          </span>
        )}
      </div>
      {manageable && (
        <ActionMenu actions={actions} testId="group-member-actions" label={t('members.actions', { name })} />
      )}
    </div>
  );
}
