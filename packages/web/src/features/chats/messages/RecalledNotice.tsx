import type { Message } from '@zhixin/sdk';
import { useTranslation } from 'react-i18next';
import { useMessages } from '../../../data/messages.ts';
import { useDisplayName } from '../../../data/people.ts';
import { injectText } from '../composer/composer-store.ts';

/** My recall can be re-edited for this long (the text is only on the device that recalled it). */
const REEDIT_MS = 5 * 60_000;

/** "你撤回了一条消息" / "xx撤回了一条消息", with "重新编辑" for my own recent recall. */
export function RecalledNotice({ message, mine }: { message: Message; mine: boolean }) {
  const { t } = useTranslation('chats');
  const name = useDisplayName(mine ? null : message.senderId);
  const kept = useMessages((s) => s.recalledTexts[`${message.conversationId}:${message.seq}`]);
  const canReedit = mine && kept && Date.now() - kept.at < REEDIT_MS;
  return (
    <div className="zx-system-line" data-testid="message-recalled">
      {mine ? t('recalledByMe') : t('recalledBy', { name })}
      {canReedit && (
        <button type="button" className="zx-link-button" onClick={() => injectText(kept.text)}>
          {t('reedit')}
        </button>
      )}
    </div>
  );
}
