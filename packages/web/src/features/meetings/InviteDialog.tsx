import type { Conversation } from '@zhixin/sdk';
import { ZhixinError } from '@zhixin/sdk';
import { App, Checkbox, Input, Modal, Tabs } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { client } from '../../app/client.ts';
import { UserAvatar } from '../../components/UserAvatar.tsx';
import { useSortedConversations } from '../../data/conversations.ts';
import { displayNameOf, loadContacts, usePeople } from '../../data/people.ts';
import { ConversationAvatar } from '../chats/ConversationAvatar.tsx';
import { useConversationTitle } from '../chats/hooks.ts';

function GroupLabel({ conversation }: { conversation: Conversation }) {
  const title = useConversationTitle(conversation);
  return (
    <span className="zx-invite-item">
      <ConversationAvatar conversation={conversation} size={28} />
      <span>{title}</span>
    </span>
  );
}

/** Invite contacts and the members of my groups; their devices ring. */
export function InviteDialog({ meetingId, onClose }: { meetingId: string; onClose: () => void }) {
  const { t } = useTranslation('meetings');
  const { message } = App.useApp();
  const contacts = usePeople((s) => s.contacts);
  const [filter, setFilter] = useState('');
  const [userIds, setUserIds] = useState<string[]>([]);
  const [groupIds, setGroupIds] = useState<string[]>([]);
  const [sending, setSending] = useState(false);
  const groups = useSortedConversations().filter((c) => c.kind === 'group');
  useEffect(() => void loadContacts().catch(() => undefined), []);
  const people = useMemo(
    () =>
      Object.keys(contacts)
        .map((id) => ({ id, name: displayNameOf(id) }))
        .filter((p) => !filter || p.name.includes(filter)),
    [contacts, filter],
  );
  const send = async () => {
    setSending(true);
    try {
      const res = await client.call('meetings.invite', { meetingId, userIds, conversationIds: groupIds });
      void message.success(t('invited', { count: res.invitedUserIds.length }));
      onClose();
    } catch (err) {
      void message.error(t('errors.generic', { message: ZhixinError.from(err).message }));
    } finally {
      setSending(false);
    }
  };
  return (
    <Modal
      open
      title={t('inviteTitle')}
      okText={t('inviteSend')}
      okButtonProps={{ disabled: userIds.length + groupIds.length === 0, loading: sending }}
      onOk={() => void send()}
      onCancel={onClose}
      destroyOnHidden
    >
      <Tabs
        items={[
          {
            key: 'contacts',
            label: t('inviteContacts'),
            children: (
              <>
                <Input.Search allowClear onChange={(e) => setFilter(e.target.value)} />
                <Checkbox.Group
                  className="zx-invite-list"
                  value={userIds}
                  onChange={(v) => setUserIds(v as string[])}
                  options={people.map((p) => ({
                    value: p.id,
                    label: (
                      <span className="zx-invite-item" data-testid="invite-contact" data-user={p.id}>
                        <UserAvatar userId={p.id} size={28} />
                        <span>{p.name}</span>
                      </span>
                    ),
                  }))}
                />
              </>
            ),
          },
          {
            key: 'groups',
            label: t('inviteGroups'),
            children: (
              <Checkbox.Group
                className="zx-invite-list"
                value={groupIds}
                onChange={(v) => setGroupIds(v as string[])}
                options={groups.map((g) => ({ value: g.id, label: <GroupLabel conversation={g} /> }))}
              />
            ),
          },
        ]}
      />
    </Modal>
  );
}
