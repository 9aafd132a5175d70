import { useTranslation } from 'react-i18next';
import { readCount, type ReadInfo } from './read-info.ts';

/** 已读/未读 under my message in a direct chat; "N人已读" (opens the readers list) in a group. */
export function ReadStatus({
  info,
  seq,
  onOpenReaders,
}: {
  info: ReadInfo;
  seq: number;
  onOpenReaders: () => void;
}) {
  const { t } = useTranslation('chats');
  if (info.kind === 'direct') {
    const read = info.peerReadSeq >= seq;
    return (
      <span className={read ? 'zx-read zx-read-done' : 'zx-read'} data-testid="message-read-status">
        {read ? t('read') : t('unread')}
      </span>
    );
  }
  const count = readCount(info, seq);
  return (
    <button
      type="button"
      className={count === info.others ? 'zx-read zx-read-done zx-read-link' : 'zx-read zx-read-link'}
      data-testid="message-read-status"
      onClick={onOpenReaders}
    >
      {count > 0 ? t('readCount', { count }) : t('unreadCount', { count: info.others })}
    </button>
  );
}
