import type { Conversation } from '@zhixin/sdk';
import { useTranslation } from 'react-i18next';
import { updateSettings } from '../../../data/conversation-ops.ts';
import { Toggle, useNotice } from '../controls.tsx';
import { useContactsErrorText } from '../useContactsErrorText.ts';

/** My own settings for a group (mute, pin); they follow me to my other devices. */
export function GroupMySettings({ conversation }: { conversation: Conversation }) {
  const { t } = useTranslation('contacts');
  const notice = useNotice();
  const errorText = useContactsErrorText();

  const change = async (patch: { muted?: boolean; pinned?: boolean }) => {
    try {
      // Through the data layer, so the cache and my other tabs follow too.
      await updateSettings(conversation.id, patch);
    } catch (err) {
      notice(errorText(err), 'error');
    }
  };

  return (
    <div className="zx-ct-rows">
      <div className="zx-ct-row">
        <span className="zx-ct-row-title">{t('info.mute')}</span>
        <Toggle
          testId="group-mute"
          label={t('info.mute')}
          checked={conversation.me.muted}
          onChange={(muted) => void change({ muted })}
        />
      </div>
      <div className="zx-ct-row">
        <span className="zx-ct-row-title">{t('info.pin')}</span>
        <Toggle
          testId="group-pin"
          label={t('info.pin')}
          checked={conversation.me.pinned}
          onChange={(pinned) => void change({ pinned })}
        />
      </div>
    </div>
  );
}
