import { CloseOutlined } from '@ant-design/icons';
import type { Message } from '@zhixin/sdk';
import { useTranslation } from 'react-i18next';
import { useDisplayName } from '../../../data/people.ts';

/** Above the composer: the message being replied to, or the edit-mode banner; each can be cancelled. */
export function ComposerBanner({
  replyTo,
  editing,
  onCancel,
}: {
  replyTo: Message | null;
  editing: Message | null;
  onCancel: () => void;
}) {
  const { t } = useTranslation('chats');
  const name = useDisplayName(replyTo?.senderId);
  if (editing)
    return (
      <div className="zx-composer-banner" data-testid="composer-edit-banner">
        <span className="zx-composer-banner-text">
          {t('composer.editing')} · <span className="zx-muted-text">{t('composer.editHint')}</span>
        </span>
        <button
          type="button"
          className="zx-icon-button"
          aria-label={t('composer.cancelEdit')}
          onClick={onCancel}
        >
          <CloseOutlined />
        </button>
      </div>
    );
  if (!replyTo) return null;
  const text =
    replyTo.content?.kind === 'text' ? replyTo.content.text : t(`preview.${replyTo.content?.kind ?? 'file'}`);
  return (
    <div className="zx-composer-banner" data-testid="composer-reply-preview">
      <span className="zx-composer-banner-text">{t('composer.replyTo', { name, text })}</span>
      <button
        type="button"
        className="zx-icon-button"
        aria-label={t('composer.cancelReply')}
        onClick={onCancel}
      >
        <CloseOutlined />
      </button>
    </div>
  );
}
