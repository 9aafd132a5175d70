import type { FeedbackItem, FeedbackStatus } from '@zhixin/sdk';
import { Button, Segmented } from 'antd';
import { useTranslation } from 'react-i18next';
import { UserAvatar } from '../../../components/UserAvatar.tsx';
import { messageText } from './messageText.ts';

interface Props {
  status: FeedbackStatus;
  onStatus: (s: FeedbackStatus) => void;
  items: FeedbackItem[];
  selected: string | null;
  onSelect: (userId: string) => void;
  hasMore: boolean;
  onMore: () => void;
}

/** The inbox column: open/answered filter, users latest first with their latest message. */
export function FeedbackInbox({ status, onStatus, items, selected, onSelect, hasMore, onMore }: Props) {
  const { t, i18n } = useTranslation('opsaccount');
  return (
    <div className="zx-ops-feedback-list">
      <div className="zx-ops-feedback-filter">
        <Segmented<FeedbackStatus>
          block
          value={status}
          onChange={onStatus}
          options={[
            {
              value: 'open',
              label: <span data-testid="admin-feedback-filter-open">{t('feedback.open')}</span>,
            },
            {
              value: 'answered',
              label: <span data-testid="admin-feedback-filter-answered">{t('feedback.answered')}</span>,
            },
          ]}
        />
      </div>
      <div className="zx-ops-feedback-items" data-testid="admin-feedback-list">
        {items.length === 0 && <p className="zx-ops-empty">{t('feedback.empty')}</p>}
        {items.map((item) => (
          <button
            key={item.userId}
            type="button"
            className={
              item.userId === selected
                ? 'zx-ops-feedback-item zx-ops-feedback-item-active'
                : 'zx-ops-feedback-item'
            }
            data-testid="feedback-item"
            data-user-id={item.userId}
            data-status={item.status}
            onClick={() => onSelect(item.userId)}
          >
            <UserAvatar userId={item.userId} size={36} />
            <span className="zx-ops-feedback-item-body">
              <span className="zx-ops-feedback-item-line">
                <span className="zx-ops-feedback-name">{item.profile.nickname}</span>
                <span className="zx-ops-feedback-time">
                  {new Date(item.lastMessage?.createdAt ?? item.updatedAt).toLocaleString(i18n.language)}
                </span>
              </span>
              <span className="zx-ops-feedback-preview">{messageText(item.lastMessage)}</span>
            </span>
          </button>
        ))}
        {hasMore && (
          <Button type="link" block data-testid="admin-feedback-more" onClick={onMore}>
            {t('feedback.more')}
          </Button>
        )}
      </div>
    </div>
  );
}
