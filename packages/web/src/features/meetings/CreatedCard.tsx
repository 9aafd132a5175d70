import type { Meeting } from '@zhixin/protocol';
import { App, Button, Card } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { InviteDialog } from './InviteDialog.tsx';
import { joinMeeting } from './meeting-controller.ts';
import { formatMeetingCode } from './meeting-store.ts';

/** A meeting just scheduled: its code and link to pass on, invite, or join now. */
export function CreatedCard({
  meeting,
  onClose,
  onJoin,
}: {
  meeting: Meeting;
  onClose: () => void;
  onJoin: (err: unknown) => void;
}) {
  const { t } = useTranslation('meetings');
  const { message } = App.useApp();
  const [inviting, setInviting] = useState(false);
  const copy = () =>
    void navigator.clipboard
      ?.writeText(
        `${meeting.topic}\n${t('codeLabel')}: ${formatMeetingCode(meeting.code)}\n${meeting.joinUrl}`,
      )
      .then(() => message.success(t('copied')));
  return (
    <Card
      className="zx-meetings-created"
      data-testid="meeting-created"
      title={t('created')}
      extra={
        <Button type="text" onClick={onClose}>
          ×
        </Button>
      }
    >
      <div className="zx-meetings-created-topic">{meeting.topic}</div>
      {meeting.scheduledAt !== null && (
        <div>{t('scheduledFor', { time: dayjs(meeting.scheduledAt).format('YYYY-MM-DD HH:mm') })}</div>
      )}
      <div>
        {t('codeLabel')}: <b data-testid="created-code">{formatMeetingCode(meeting.code)}</b>
      </div>
      <div className="zx-meetings-created-link">
        {t('link')}: <span data-testid="created-link">{meeting.joinUrl}</span>
      </div>
      <div className="zx-meetings-created-buttons">
        <Button onClick={copy}>{t('copyLink')}</Button>
        <Button onClick={() => setInviting(true)} data-testid="created-invite">
          {t('invite')}
        </Button>
        <Button type="primary" onClick={() => joinMeeting({ meetingId: meeting.id }).catch(onJoin)}>
          {t('joinNow')}
        </Button>
      </div>
      {inviting && <InviteDialog meetingId={meeting.id} onClose={() => setInviting(false)} />}
    </Card>
  );
}
