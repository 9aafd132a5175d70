import type { Member } from '@zhixin/sdk';
import { CloseCircleFilled, MinusOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { UserAvatar } from '../../../components/UserAvatar.tsx';
import { useDisplayName } from '../../../data/people.ts';

type MemberRole = Member['role'];

interface GroupMemberGridProps {
  members: readonly Member[];
  /** In remove mode each removable member carries a remove mark. */
  removing: boolean;
  /** Whether I may add members (any member may) and remove them (owner or admin). */
  canAdd: boolean;
  canRemove: boolean;
  myId: string;
  myRole: MemberRole;
  onOpen: (userId: string) => void;
  onAdd: () => void;
  onToggleRemoving: () => void;
  onRemove: (member: Member) => void;
}

/** The members of a group as a grid of avatars and names, with the add and remove tiles. */
export function GroupMemberGrid(props: GroupMemberGridProps) {
  const { t } = useTranslation('contacts');
  const { members, removing, canAdd, canRemove, myId, myRole } = props;
  return (
    <div className="zx-ct-grid">
      {members.map((m) => {
        const removable = removing && mayRemove(myRole, myId, m);
        return (
          <MemberTile
            key={m.userId}
            member={m}
            removable={removable}
            onClick={() => (removable ? props.onRemove(m) : props.onOpen(m.userId))}
          />
        );
      })}
      {canAdd && (
        <button type="button" className="zx-ct-tile" data-testid="group-add-members" onClick={props.onAdd}>
          <span className="zx-ct-tile-btn">
            <PlusOutlined />
          </span>
          <span className="zx-ct-tile-name">{t('info.addMembers')}</span>
        </button>
      )}
      {canRemove && members.length > 1 && (
        <button
          type="button"
          className="zx-ct-tile"
          data-testid="group-remove-members"
          onClick={props.onToggleRemoving}
        >
          <span className="zx-ct-tile-btn">{removing ? t('info.done') : <MinusOutlined />}</span>
          <span className="zx-ct-tile-name">{removing ? '' : t('info.removeMembers')}</span>
        </button>
      )}
    </div>
  );
}

/** The server's rule: the owner removes anyone but themself; an admin removes plain members only. */
export function mayRemove(myRole: MemberRole, myId: string, member: Member): boolean {
  if (member.userId === myId) return false;
  if (myRole === 'owner') return member.role !== 'owner';
  return myRole === 'admin' && member.role === 'member';
}

function MemberTile({
  member,
  removable,
  onClick,
}: {
  member: Member;
  removable: boolean;
  onClick: () => void;
}) {
  const { t } = useTranslation('contacts');
  const profileName = useDisplayName(member.userId);
  // A group nickname shows instead of the profile nickname inside the group.
  const name = member.nickname || profileName;
  const role = member.role === 'owner' ? t('info.owner') : member.role === 'admin' ? t('info.admin') : null;
  return (
    <button
      type="button"
      className="zx-ct-tile"
      data-testid="group-member"
      data-user-id={member.userId}
      data-role={member.role}
      aria-label={removable ? `${t('info.remove')} ${name}` : name}
      onClick={onClick}
    >
      <span className="zx-ct-tile-avatar">
        <UserAvatar userId={member.userId} size={44} />
        {removable && <CloseCircleFilled className="zx-ct-tile-remove" />}
        {role && (
          <span className="zx-ct-tile-role" data-testid="group-role" data-role={member.role}>
            {role}
          </span>
        )}
      </span>
      <span className="zx-ct-tile-name">{name}</span>
    </button>
  );
}
