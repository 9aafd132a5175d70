import type { Conversation } from '@zhixin/sdk';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { client } from '../../../app/client.ts';
import { putConversations } from '../../../data/conversations.ts';
import { useDisplayName } from '../../../data/people.ts';
import { ActionButton, useNotice } from '../controls.tsx';
import { useGroupsErrorText } from './errors.ts';

const MAX_CHARS = 2000;

/** The announcement in the group info: everyone reads it; the owner and admins edit it. */
export function GroupAnnouncement({
  conversation,
  canEdit,
}: {
  conversation: Conversation;
  canEdit: boolean;
}) {
  const { t } = useTranslation('groups');
  const notice = useNotice();
  const errorText = useGroupsErrorText();
  const a = conversation.group?.announcement ?? null;
  const [draft, setDraft] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const author = useDisplayName(a?.byUserId ?? null);

  const save = async () => {
    if (draft === null) return;
    if (Array.from(draft).length > MAX_CHARS) return notice(t('announcement.tooLong'), 'error');
    setSaving(true);
    try {
      const fresh = await client.groups.setAnnouncement(conversation.id, draft);
      putConversations([fresh]);
      notice(draft.trim() ? t('announcement.saved') : t('announcement.cleared'));
      setDraft(null);
    } catch (err) {
      notice(errorText(err), 'error');
    } finally {
      setSaving(false);
    }
  };

  return (
    <div className="zx-gp-section">
      <div className="zx-gp-section-head">
        <span>{t('announcement.title')}</span>
        {canEdit && draft === null && (
          <ActionButton small testId="group-announcement-edit" onClick={() => setDraft(a?.text ?? '')}>
            {t('announcement.edit')}
          </ActionButton>
        )}
      </div>
      {draft !== null ? (
        <>
          <textarea
            className="zx-gp-textarea"
            data-testid="group-announcement-input"
            aria-label={t('announcement.title')}
            placeholder={t('announcement.placeholder')}
            value={draft}
            maxLength={MAX_CHARS}
            onChange={(e) => setDraft(e.target.value)}
          />
          <div className="zx-gp-buttons">
            <ActionButton
              small
              kind="primary"
              testId="group-announcement-save"
              loading={saving}
              onClick={() => void save()}
            >
              {t('announcement.save')}
            </ActionButton>
            <ActionButton small onClick={() => setDraft(null)}>
              {t('announcement.cancel')}
            </ActionButton>
          </div>
        </>
      ) : a ? (
        <div data-testid="group-announcement-text">
          <div className="zx-gp-announcement-full">{a.text}</div>
          <div className="zx-gp-muted-text">
            {t('announcement.by', { name: author, time: new Date(a.updatedAt).toLocaleString() })}
          </div>
        </div>
      ) : (
        <div className="zx-gp-muted-text" data-testid="group-announcement-text">
          {t('announcement.empty')}
        </div>
      )}
    </div>
  );
}
