import type { Member } from '@zhixin/sdk';
import { Modal } from 'antd';
import { Popup } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { useLayoutKind } from '../../../app/layout.ts';
import { UserAvatar } from '../../../components/UserAvatar.tsx';
import { useDisplayName } from '../../../data/people.ts';
import { RoleBadge } from './RoleBadge.tsx';

interface Props {
  open: boolean;
  members: readonly Member[];
  myId: string;
  onPick: (member: Member, name: string) => void;
  onClose: () => void;
}

/** Pick the member who becomes the owner. */
export function TransferDialog({ open, members, myId, onPick, onClose }: Props) {
  const { t } = useTranslation('groups');
  const layout = useLayoutKind();
  const list = (
    <div className="zx-gp-members" data-testid="group-transfer-list">
      {members
        .filter((m) => m.userId !== myId)
        .map((m) => (
          <Candidate key={m.userId} member={m} onPick={onPick} />
        ))}
    </div>
  );
  if (layout === 'mobile')
    return (
      <Popup
        visible={open}
        onMaskClick={onClose}
        onClose={onClose}
        bodyStyle={{ padding: 16, maxHeight: '70vh' }}
      >
        <div className="zx-gp-section-head">{t('manage.transferTitle')}</div>
        {list}
      </Popup>
    );
  return (
    <Modal open={open} title={t('manage.transferTitle')} footer={null} onCancel={onClose} destroyOnHidden>
      {list}
    </Modal>
  );
}

function Candidate({ member: m, onPick }: { member: Member; onPick: Props['onPick'] }) {
  const profileName = useDisplayName(m.userId);
  const name = m.nickname || profileName;
  return (
    <button
      type="button"
      className="zx-gp-row zx-link-button"
      style={{ width: '100%', textAlign: 'left' }}
      data-testid="group-transfer-target"
      data-user-id={m.userId}
      onClick={() => onPick(m, name)}
    >
      <UserAvatar userId={m.userId} size={32} />
      <span className="zx-gp-row-title">
        {name}
        <RoleBadge role={m.role} />
      </span>
    </button>
  );
}
