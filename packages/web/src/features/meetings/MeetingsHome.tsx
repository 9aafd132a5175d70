import { CalendarOutlined, LoginOutlined, ThunderboltOutlined } from '@ant-design/icons';
import type { Meeting } from '@zhixin/protocol';
import { ZhixinError } from '@zhixin/sdk';
import { Alert, App, Button, Input } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { client } from '../../app/client.ts';
import { useSession } from '../../app/session.ts';
import { CreatedCard } from './CreatedCard.tsx';
import { MeetingHistoryList } from './MeetingHistoryList.tsx';
import { joinMeeting } from './meeting-controller.ts';
import { parseMeetingCode, useMeetingView } from './meeting-store.ts';
import { ScheduleDialog } from './ScheduleDialog.tsx';

/** Turns a failed meetings call into text; MEDIA_UNAVAILABLE says what to install. */
export function useMeetingErrorText(): (err: unknown) => string {
  const { t } = useTranslation('meetings');
  return (err: unknown) => {
    const e = ZhixinError.from(err);
    return t(`errors.${e.code}`, { defaultValue: '' }) || t('errors.generic', { message: e.message });
  };
}

/** Meetings: meet now, schedule, join by code or link, and my meeting history. */
export function MeetingsHome() {
  const { t } = useTranslation('meetings');
  const { message } = App.useApp();
  const errorText = useMeetingErrorText();
  const myName = useSession((s) => s.me?.nickname ?? '');
  const lastError = useMeetingView((s) => s.errorCode);
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [scheduling, setScheduling] = useState(false);
  const [created, setCreated] = useState<Meeting | null>(null);
  const [unavailable, setUnavailable] = useState(false);

  const fail = (err: unknown) => {
    if (ZhixinError.from(err).code === 'MEDIA_UNAVAILABLE') setUnavailable(true);
    else void message.error(errorText(err));
  };
  const meetNow = async () => {
    setBusy(true);
    try {
      const meeting = await client.call('meetings.create', { topic: t('topicDefault', { name: myName }) });
      await joinMeeting({ meetingId: meeting.id });
    } catch (err) {
      fail(err);
    } finally {
      setBusy(false);
    }
  };
  const joinByCode = () => {
    const parsed = parseMeetingCode(code);
    if (!parsed) return void message.warning(t('invalidCode'));
    // A refusal shows as the alert above (the store keeps its code).
    joinMeeting({ code: parsed }).catch(() => undefined);
  };

  return (
    <div className="zx-meetings-home" data-testid="meetings-home">
      <h2 className="zx-meetings-title">{t('title')}</h2>
      {(unavailable || lastError === 'MEDIA_UNAVAILABLE') && (
        <Alert
          type="warning"
          showIcon
          data-testid="media-unavailable"
          message={t('errors.MEDIA_UNAVAILABLE')}
        />
      )}
      {lastError && lastError !== 'MEDIA_UNAVAILABLE' && (
        <Alert
          type="error"
          showIcon
          data-testid="meeting-join-error"
          data-code={lastError}
          message={
            t(`errors.${lastError}`, { defaultValue: '' }) || t('errors.generic', { message: lastError })
          }
        />
      )}
      <div className="zx-meetings-actions">
        <button
          type="button"
          className="zx-meetings-action"
          data-testid="meeting-create-now"
          disabled={busy}
          onClick={() => void meetNow()}
        >
          <ThunderboltOutlined className="zx-meetings-action-icon" />
          <span>{t('createNow')}</span>
        </button>
        <button
          type="button"
          className="zx-meetings-action"
          data-testid="meeting-schedule"
          onClick={() => setScheduling(true)}
        >
          <CalendarOutlined className="zx-meetings-action-icon" />
          <span>{t('schedule')}</span>
        </button>
      </div>
      <div className="zx-meetings-join">
        <Input
          size="large"
          inputMode="numeric"
          placeholder={t('codePlaceholder')}
          value={code}
          data-testid="meeting-code-input"
          onChange={(e) => setCode(e.target.value)}
          onPressEnter={joinByCode}
        />
        <Button
          size="large"
          type="primary"
          icon={<LoginOutlined />}
          data-testid="meeting-join"
          onClick={joinByCode}
        >
          {t('join')}
        </Button>
      </div>
      {created && <CreatedCard meeting={created} onClose={() => setCreated(null)} onJoin={fail} />}
      <MeetingHistoryList onError={fail} />
      {scheduling && (
        <ScheduleDialog
          onClose={() => setScheduling(false)}
          onCreated={(m) => {
            setScheduling(false);
            setCreated(m);
          }}
          onError={fail}
        />
      )}
    </div>
  );
}
