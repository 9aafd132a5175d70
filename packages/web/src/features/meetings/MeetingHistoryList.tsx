import { DeleteOutlined } from '@ant-design/icons';
import type { MeetingHistoryItem } from '@zhixin/protocol';
import { App, Button, Empty, List, Tag } from 'antd';
import dayjs from 'dayjs';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { client } from '../../app/client.ts';
import { formatDuration } from '../calls/call-store.ts';
import { joinMeeting } from './meeting-controller.ts';
import { formatMeetingCode, useMeetingView } from './meeting-store.ts';

/** Meetings I was in, newest first, each deletable from my history; a live one can be rejoined. */
export function MeetingHistoryList({ onError }: { onError: (err: unknown) => void }) {
  const { t } = useTranslation('meetings');
  const { modal, message } = App.useApp();
  const [items, setItems] = useState<MeetingHistoryItem[] | null>(null);
  const phase = useMeetingView((s) => s.phase);
  const load = useCallback(() => {
    client
      .call('meetings.history', { limit: 50 })
      .then((res) => setItems(res.items))
      .catch(onError);
  }, [onError]);
  // Reload when a meeting ends here (it enters the history).
  useEffect(() => {
    if (phase === 'idle' || phase === 'left') load();
  }, [phase, load]);
  const remove = (item: MeetingHistoryItem) =>
    modal.confirm({
      title: t('deleteConfirm'),
      okButtonProps: { danger: true },
      onOk: async () => {
        await client.call('meetings.deleteHistory', { meetingIds: [item.meetingId] }).catch(onError);
        void message.success(t('deleted'));
        load();
      },
    });
  return (
    <section className="zx-meetings-history" data-testid="meeting-history">
      <h3>{t('history')}</h3>
      {items && items.length === 0 ? (
        <Empty description={t('noHistory')} />
      ) : (
        <List
          loading={items === null}
          dataSource={items ?? []}
          renderItem={(item) => (
            <List.Item
              data-testid="history-item"
              data-meeting={item.meetingId}
              actions={[
                item.status !== 'ended' && (
                  <Button
                    key="join"
                    size="small"
                    onClick={() => joinMeeting({ meetingId: item.meetingId }).catch(onError)}
                  >
                    {t('joinNow')}
                  </Button>
                ),
                <Button
                  key="delete"
                  size="small"
                  type="text"
                  danger
                  icon={<DeleteOutlined />}
                  aria-label={t('deleteHistory')}
                  data-testid="history-delete"
                  onClick={() => remove(item)}
                />,
              ].filter(Boolean)}
            >
              <List.Item.Meta
                title={
                  <span>
                    {item.topic} <Tag>{t(`status.${item.status}`)}</Tag>
                  </span>
                }
                description={`${dayjs(item.firstJoinedAt).format('YYYY-MM-DD HH:mm')} · ${formatMeetingCode(item.code)} · ${t('duration', { duration: formatDuration(item.myDurationMs) })} · ${t('participants', { count: item.participantCount })}`}
              />
            </List.Item>
          )}
        />
      )}
    </section>
  );
}
