import type { Conversation, Member } from '@zhixin/sdk';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { client } from '../../../app/client.ts';
import { putConversations } from '../../../data/conversations.ts';
import { ActionButton, Toggle, useConfirm, useNotice } from '../controls.tsx';
import { useGroupsErrorText } from './errors.ts';
import { TransferDialog } from './TransferDialog.tsx';

interface Props {
  conversation: Conversation;
  members: readonly Member[];
  myId: string;
  onChanged: () => void;
}

/** Settings of the owner and admins (mute all, join approval); transfer and dissolve for the owner. */
export function GroupManage({ conversation: c, members, myId, onChanged }: Props) {
  const { t } = useTranslation('groups');
  const notice = useNotice();
  const confirm = useConfirm();
  const errorText = useGroupsErrorText();
  const [picking, setPicking] = useState(false);
  const g = c.group;
  const isOwner = c.role === 'owner';

  const apply = async (op: () => Promise<Conversation>, done?: string) => {
    try {
      putConversations([await op()]);
      if (done) notice(done);
      onChanged();
    } catch (err) {
      notice(errorText(err), 'error');
    }
  };

  const transfer = async (m: Member, name: string) => {
    setPicking(false);
    const ok = await confirm({
      title: t('manage.transfer'),
      content: t('manage.transferConfirm', { name }),
      okText: t('manage.transferOk'),
    });
    if (ok) await apply(() => client.groups.transferOwnership(c.id, m.userId), t('manage.transferred'));
  };

  const dissolve = async () => {
    const ok = await confirm({
      title: t('manage.dissolve'),
      content: t('manage.dissolveConfirm', { title: c.title }),
      okText: t('manage.dissolve'),
      danger: true,
    });
    if (!ok) return;
    try {
      await client.groups.dissolve(c.id);
      notice(t('manage.dissolved'));
      putConversations([await client.conversations.get(c.id)]);
      onChanged();
    } catch (err) {
      notice(errorText(err), 'error');
    }
  };

  return (
    <div className="zx-gp-section">
      <div className="zx-gp-row">
        <div className="zx-gp-row-main">
          <span className="zx-gp-row-title">{t('manage.muteAll')}</span>
          <span className="zx-gp-row-sub">{t('manage.muteAllHint')}</span>
        </div>
        <Toggle
          testId="group-mute-all"
          label={t('manage.muteAll')}
          checked={g?.muteAll ?? false}
          onChange={(on) => void apply(() => client.groups.muteAll(c.id, on))}
        />
      </div>
      <div className="zx-gp-row">
        <div className="zx-gp-row-main">
          <span className="zx-gp-row-title">{t('manage.joinApproval')}</span>
        </div>
        <Toggle
          testId="group-join-approval"
          label={t('manage.joinApproval')}
          checked={g?.joinApproval ?? false}
          onChange={(required) => void apply(() => client.groups.setJoinApproval(c.id, required))}
        />
      </div>
      {isOwner && (
        <div className="zx-gp-buttons">
          <ActionButton
            testId="group-transfer"
            onClick={() => setPicking(true)}
            disabled={members.length < 2}
          >
            {t('manage.transfer')}
          </ActionButton>
          <ActionButton testId="group-dissolve" kind="danger" onClick={() => void dissolve()}>
            {t('manage.dissolve')}
          </ActionButton>
        </div>
      )}
      <TransferDialog
        open={picking}
        members={members}
        myId={myId}
        onPick={(m, name) => void transfer(m, name)}
        onClose={() => setPicking(false)}
      />
    </div>
  );
}
