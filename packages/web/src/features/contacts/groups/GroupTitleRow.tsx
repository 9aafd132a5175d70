import { EditOutlined } from '@ant-design/icons';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { client } from '../../../app/client.ts';
import { putConversations } from '../../../data/conversations.ts';
import { ActionButton, TextInput, useNotice } from '../controls.tsx';
import { useContactsErrorText } from '../useContactsErrorText.ts';
import { MAX_GROUP_TITLE } from './groupTitle.ts';

/** The group's name; the owner and admins may rename it in place. */
export function GroupTitleRow({
  conversationId,
  title,
  canRename,
}: {
  conversationId: string;
  title: string;
  canRename: boolean;
}) {
  const { t } = useTranslation('contacts');
  const { t: tc } = useTranslation();
  const notice = useNotice();
  const errorText = useContactsErrorText();
  const [draft, setDraft] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  const save = async () => {
    const next = draft?.trim() ?? '';
    if (!next || next === title) {
      setDraft(null);
      return;
    }
    setSaving(true);
    try {
      putConversations([await client.conversations.renameGroup(conversationId, next)]);
      notice(t('info.renamed'));
      setDraft(null);
    } catch (err) {
      notice(errorText(err), 'error');
    } finally {
      setSaving(false);
    }
  };

  if (draft !== null)
    return (
      <div className="zx-ct-row zx-ct-row-edit">
        <span className="zx-ct-row-label">{t('info.name')}</span>
        <div className="zx-ct-row-input">
          <TextInput
            testId="group-title-input"
            value={draft}
            onChange={setDraft}
            maxLength={MAX_GROUP_TITLE}
            autoFocus
            onEnter={() => void save()}
          />
        </div>
        <div className="zx-ct-row-actions">
          <ActionButton onClick={() => setDraft(null)}>{tc('cancel')}</ActionButton>
          <ActionButton testId="group-title-save" kind="primary" loading={saving} onClick={() => void save()}>
            {tc('save')}
          </ActionButton>
        </div>
      </div>
    );
  return (
    <div className="zx-ct-row">
      <span className="zx-ct-row-label">{t('info.name')}</span>
      <span className="zx-ct-row-value" data-testid="group-title">
        {title}
      </span>
      {canRename && (
        <button
          type="button"
          className="zx-ct-link"
          data-testid="group-rename"
          onClick={() => setDraft(title)}
        >
          <EditOutlined /> {t('info.rename')}
        </button>
      )}
    </div>
  );
}
