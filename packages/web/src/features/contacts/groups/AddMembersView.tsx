import type { Member } from '@zhixin/sdk';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { client } from '../../../app/client.ts';
import { usePeople } from '../../../data/people.ts';
import { ActionButton, useNotice } from '../controls.tsx';
import { useContactsErrorText } from '../useContactsErrorText.ts';
import { MemberPicker } from './MemberPicker.tsx';

interface AddMembersViewProps {
  conversationId: string;
  members: readonly Member[];
  onDone: (added: boolean) => void;
}

/** Invite contacts into a group: those already in it are shown ticked and fixed. */
export function AddMembersView({ conversationId, members, onDone }: AddMembersViewProps) {
  const { t } = useTranslation('contacts');
  const { t: tc } = useTranslation();
  const notice = useNotice();
  const errorText = useContactsErrorText();
  const contacts = usePeople((s) => s.contacts);
  const inGroup = useMemo(() => new Set(members.map((m) => m.userId)), [members]);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [saving, setSaving] = useState(false);
  const nobodyLeft = Object.keys(contacts).every((id) => inGroup.has(id));

  const toggle = (userId: string) =>
    setSelected((s) => {
      const next = new Set(s);
      if (!next.delete(userId)) next.add(userId);
      return next;
    });

  const add = async () => {
    setSaving(true);
    try {
      await client.conversations.addMembers(conversationId, [...selected]);
      notice(t('info.added', { count: selected.size }));
      onDone(true);
    } catch (err) {
      notice(errorText(err), 'error');
      setSaving(false);
    }
  };

  return (
    <div className="zx-ct-addmembers">
      <div className="zx-ct-subhead">
        <ActionButton onClick={() => onDone(false)}>{tc('cancel')}</ActionButton>
        <span className="zx-ct-subhead-title">{t('info.addTitle')}</span>
        <ActionButton
          testId="group-add-submit"
          kind="primary"
          loading={saving}
          disabled={selected.size === 0}
          onClick={() => void add()}
        >
          {selected.size > 0 ? `${t('info.add')} (${selected.size})` : t('info.add')}
        </ActionButton>
      </div>
      {nobodyLeft && Object.keys(contacts).length > 0 ? (
        <p className="zx-ct-empty">{t('info.noOneToAdd')}</p>
      ) : (
        <MemberPicker selected={selected} onToggle={toggle} locked={inGroup} rowTestId="group-add-member" />
      )}
    </div>
  );
}
