import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { client } from '../../../app/client.ts';
import { useLayoutKind } from '../../../app/layout.ts';
import { useSession } from '../../../app/session.ts';
import { putConversations } from '../../../data/conversations.ts';
import { displayNameOf } from '../../../data/people.ts';
import { ActionButton, TextInput, Toggle, useNotice } from '../controls.tsx';
import { ScreenFrame } from '../ScreenFrame.tsx';
import { useContactsErrorText } from '../useContactsErrorText.ts';
import { defaultGroupTitle, MAX_GROUP_TITLE } from './groupTitle.ts';
import { MemberPicker } from './MemberPicker.tsx';
import './groups.css';

/** Start a group chat (`/contacts/new-group`): a title and contacts to invite; I become the owner. */
export function NewGroupView() {
  const { t } = useTranslation('contacts');
  const { t: tg } = useTranslation('groups');
  const navigate = useNavigate();
  const layout = useLayoutKind();
  const notice = useNotice();
  const errorText = useContactsErrorText();
  const me = useSession((s) => s.me);
  const [title, setTitle] = useState('');
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [creating, setCreating] = useState(false);
  const [temporary, setTemporary] = useState(false);

  const fallbackTitle = useMemo(
    () => defaultGroupTitle([me?.nickname ?? '', ...[...selected].map(displayNameOf)].filter(Boolean)),
    [me, selected],
  );

  const toggle = (userId: string) =>
    setSelected((s) => {
      const next = new Set(s);
      if (!next.delete(userId)) next.add(userId);
      return next;
    });

  const create = async () => {
    const finalTitle = title.trim() || fallbackTitle;
    if (!finalTitle) {
      notice(t('groups.titleRequired'), 'error');
      return;
    }
    setCreating(true);
    try {
      const group = await client.conversations.createGroup(finalTitle, [...selected], { temporary });
      // The creating device gets no event for its own group; the list and chat need it now.
      putConversations([group]);
      void navigate(`/chats/${encodeURIComponent(group.id)}`, { replace: true });
    } catch (err) {
      notice(errorText(err), 'error');
      setCreating(false);
    }
  };

  const submit = (
    <ActionButton
      testId="group-create-submit"
      kind="primary"
      small={layout === 'mobile'}
      loading={creating}
      disabled={selected.size === 0}
      onClick={() => void create()}
    >
      {selected.size > 0 ? t('groups.submitCount', { count: selected.size }) : t('groups.submit')}
    </ActionButton>
  );

  return (
    <ScreenFrame title={t('groups.createTitle')} backTo="/contacts" right={submit}>
      <div className="zx-ct-newgroup">
        <label className="zx-ct-field">
          <span className="zx-ct-field-label">{t('groups.titleLabel')}</span>
          <TextInput
            testId="group-create-title"
            value={title}
            onChange={setTitle}
            placeholder={fallbackTitle || t('groups.titlePlaceholder')}
            maxLength={MAX_GROUP_TITLE}
          />
        </label>
        <div className="zx-gp-row">
          <div className="zx-gp-row-main">
            <span className="zx-gp-row-title">{tg('temporary.switch')}</span>
            <span className="zx-gp-row-sub">{tg('temporary.hint')}</span>
          </div>
          <Toggle
            testId="group-temporary"
            label={tg('temporary.switch')}
            checked={temporary}
            onChange={setTemporary}
          />
        </div>
        <div className="zx-ct-section-title">
          {t('groups.pickMembers')}
          {selected.size > 0 && (
            <span className="zx-ct-muted"> · {t('groups.selected', { count: selected.size })}</span>
          )}
        </div>
        <MemberPicker selected={selected} onToggle={toggle} rowTestId="group-create-member" />
      </div>
    </ScreenFrame>
  );
}
