import { WarningOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';

/**
 * In place of a message that failed the server's integrity check (its row was edited in the
 * database): a warning, and nothing of its content, sender or recall state, none of which holds.
 */
export function TamperedNotice() {
  const { t } = useTranslation('chats');
  return (
    <div
      className="zx-system-line zx-msg-tampered"
      role="alert"
      data-testid="message-tampered"
      title={t('tamperedHint')}
    >
      <WarningOutlined aria-hidden /> {t('tampered')}
    </div>
  );
}
