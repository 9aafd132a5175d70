import { EditOutlined } from '@ant-design/icons';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { setContactRemark } from '../../../data/people.ts';
import { ActionButton, TextInput, useNotice } from '../controls.tsx';
import { useContactsErrorText } from '../useContactsErrorText.ts';

const MAX_REMARK = 32;

/** My remark for a contact, editable in place; saving an empty remark clears it. */
export function RemarkEditor({ userId, remark }: { userId: string; remark: string }) {
  const { t } = useTranslation('contacts');
  const { t: tc } = useTranslation();
  const notice = useNotice();
  const errorText = useContactsErrorText();
  const [draft, setDraft] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  const save = async () => {
    if (draft === null) return;
    setSaving(true);
    try {
      await setContactRemark(userId, draft);
      setDraft(null);
      notice(t('profile.remarkSaved'));
    } catch (err) {
      notice(errorText(err), 'error');
    } finally {
      setSaving(false);
    }
  };

  if (draft === null)
    return (
      <div className="zx-ct-row">
        <span className="zx-ct-row-label">{t('profile.remark')}</span>
        <span className={remark ? 'zx-ct-row-value' : 'zx-ct-row-value zx-ct-muted'}>
          {remark || t('profile.noRemark')}
        </span>
        <button
          type="button"
          className="zx-ct-link"
          data-testid="profile-edit-remark"
          onClick={() => setDraft(remark)}
        >
          <EditOutlined /> {t('profile.editRemark')}
        </button>
      </div>
    );
  return (
    <div className="zx-ct-row zx-ct-row-edit">
      <span className="zx-ct-row-label">{t('profile.remark')}</span>
      <div className="zx-ct-row-input">
        <TextInput
          testId="remark-input"
          value={draft}
          onChange={setDraft}
          placeholder={t('profile.remarkPlaceholder')}
          maxLength={MAX_REMARK}
          autoFocus
          onEnter={() => void save()}
        />
      </div>
      <div className="zx-ct-row-actions">
        <ActionButton onClick={() => setDraft(null)}>{tc('cancel')}</ActionButton>
        <ActionButton testId="remark-save" kind="primary" loading={saving} onClick={() => void save()}>
          {tc('save')}
        </ActionButton>
      </div>
    </div>
  );
}
