import type { Conversation } from '@zhixin/sdk';
import { useTranslation } from 'react-i18next';
import { client } from '../../../app/client.ts';
import { updateConversation } from '../../../data/conversations.ts';
import { Toggle, useNotice } from '../controls.tsx';
import { useContactsErrorText } from '../useContactsErrorText.ts';

/** My own settings for a group (mute, pin); they follow me to my other devices. */
export function GroupMySettings({ conversation }: { conversation: Conversation }) {
  const { t } = useTranslation('contacts');
  const notice = useNotice();
  const errorText = useContactsErrorText();

  const change = async (patch: { muted?: boolean; pinned?: boolean }) => {
    try {
      const me = await client.conversations.updateSettings(conversation.id, patch);
      updateConversation(conversation.id, (c) => ({ ...c, me }));
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
