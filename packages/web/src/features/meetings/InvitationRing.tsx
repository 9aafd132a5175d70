import { VideoCameraOutlined } from '@ant-design/icons';
import { App, Button } from 'antd';
import { ZhixinError } from '@zhixin/sdk';
import { useTranslation } from 'react-i18next';
import { useDisplayName } from '../../data/people.ts';
import { dismissInvitation, joinMeeting } from './meeting-controller.ts';
import { formatMeetingCode, useMeetingView } from './meeting-store.ts';

/** A ringing meeting invitation: join or not now (the newest on top). */
export function InvitationRing() {
  const { t } = useTranslation('meetings');
  const { message } = App.useApp();
  const invitation = useMeetingView((s) => s.invitations[s.invitations.length - 1]);
  const inviter = useDisplayName(invitation?.inviterId);
  if (!invitation) return null;
  const { meeting } = invitation;
  const join = () => {
    dismissInvitation(meeting.id);
    joinMeeting({ meetingId: meeting.id }).catch((err: unknown) => {
      const e = ZhixinError.from(err);
      const known = t(`errors.${e.code}`, { defaultValue: '' });
      void message.error(known || t('errors.generic', { message: e.message }));
    });
  };
  return (
    <div className="zx-invitation" data-testid="meeting-invitation" data-meeting={meeting.id}>
      <VideoCameraOutlined className="zx-invitation-icon" />
      <div className="zx-invitation-body">
        <div className="zx-invitation-title">{t('incoming', { name: inviter })}</div>
        <div className="zx-invitation-sub">
          {meeting.topic} · {formatMeetingCode(meeting.code)}
        </div>
      </div>
      <Button data-testid="invitation-decline" onClick={() => dismissInvitation(meeting.id)}>
        {t('decline')}
      </Button>
      <Button type="primary" data-testid="invitation-join" onClick={join}>
        {t('joinNow')}
      </Button>
    </div>
  );
}
