import type { Member } from '@zhixin/sdk';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { client } from '../../../app/client.ts';
import { ActionButton, TextInput, useNotice } from '../controls.tsx';
import { useGroupsErrorText } from './errors.ts';

const MAX_CHARS = 32;

/** My nickname in this group: others see it instead of my profile nickname here. */
export function GroupNicknameRow({
  conversationId,
  me,
  onChanged,
}: {
  conversationId: string;
  me: Member | undefined;
  onChanged: () => void;
}) {
  const { t } = useTranslation('groups');
  const notice = useNotice();
  const errorText = useGroupsErrorText();
  const current = me?.nickname ?? '';
  const [value, setValue] = useState(current);
  const [saving, setSaving] = useState(false);
  useEffect(() => setValue(current), [current]);

  const save = async () => {
    setSaving(true);
    try {
      await client.groups.setMyNickname(conversationId, value);
      notice(t('nickname.saved'));
      onChanged();
    } catch (err) {
      notice(errorText(err), 'error');
    } finally {
      setSaving(false);
    }
  };

  return (
    <div className="zx-gp-section">
      <div className="zx-gp-section-head">
        <span>{t('nickname.title')}</span>
      </div>
      <div className="zx-gp-row">
        <div className="zx-gp-row-main">
          <TextInput
            testId="group-my-nickname"
            label={t('nickname.title')}
            placeholder={t('nickname.placeholder')}
            value={value}
            maxLength={MAX_CHARS}
            onChange={setValue}
          />
        </div>
        <ActionButton
          small
          testId="group-my-nickname-save"
          loading={saving}
          disabled={value.trim() === current}
          onClick={() => void save()}
        >
          {t('nickname.save')}
        </ActionButton>
      </div>
    </div>
  );
}
