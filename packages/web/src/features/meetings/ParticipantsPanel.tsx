import { AudioMutedOutlined, CloseOutlined, MoreOutlined } from '@ant-design/icons';
import type { Meeting, MeetingParticipant } from '@zhixin/protocol';
import { App, Button, Dropdown, Switch, type MenuProps } from 'antd';
import { ZhixinError } from '@zhixin/sdk';
import { useTranslation } from 'react-i18next';
import { UserAvatar } from '../../components/UserAvatar.tsx';
import { client } from '../../app/client.ts';
import { host, setShowParticipants } from './meeting-controller.ts';
import { isHostOrCoHost, useMeetingView } from './meeting-store.ts';

function useFail() {
  const { t } = useTranslation('meetings');
  const { message } = App.useApp();
  return (err: unknown) => {
    const e = ZhixinError.from(err);
    const known = t(`errors.${e.code}`, { defaultValue: '' });
    void message.error(known || t('errors.generic', { message: e.message }));
  };
}

function Row({ meeting, p, canManage }: { meeting: Meeting; p: MeetingParticipant; canManage: boolean }) {
  const { t } = useTranslation('meetings');
  const { modal } = App.useApp();
  const fail = useFail();
  const me = client.session?.userId;
  const isHost = meeting.hostId === me;
  const role =
    p.userId === meeting.hostId ? 'host' : meeting.coHostIds.includes(p.userId) ? 'cohost' : 'member';
  const items: MenuProps['items'] = [];
  if (canManage && p.userId !== me && role !== 'host') {
    items.push(
      p.mutedByHost ? { key: 'unmute', label: t('host.unmute') } : { key: 'mute', label: t('host.mute') },
      { key: 'remove', label: t('host.remove'), danger: true },
    );
    if (isHost)
      items.push(
        role === 'cohost'
          ? { key: 'revoke', label: t('host.revokeCoHost') }
          : { key: 'cohost', label: t('host.makeCoHost') },
      );
  }
  const act: MenuProps['onClick'] = ({ key }) => {
    const run = (): Promise<unknown> => {
      switch (key) {
        case 'mute':
          return host.mute(meeting.id, p.userId);
        case 'unmute':
          return host.unmute(meeting.id, p.userId);
        case 'cohost':
          return host.setCoHost(meeting.id, p.userId, true);
        case 'revoke':
          return host.setCoHost(meeting.id, p.userId, false);
        default:
          return Promise.resolve();
      }
    };
    if (key === 'remove') {
      modal.confirm({
        title: t('host.removeConfirm', { name: p.display }),
        okButtonProps: { danger: true },
        onOk: () => host.remove(meeting.id, p.userId).catch(fail),
      });
      return;
    }
    run().catch(fail);
  };
  return (
    <li className="zx-people-row" data-testid="participant" data-user={p.userId}>
      <UserAvatar userId={p.userId} size={32} />
      <span className="zx-people-name">
        {p.display}
        {p.userId === me && ` (${t('me')})`}
        {role !== 'member' && <span className="zx-people-role">{t(`role.${role}`)}</span>}
      </span>
      {p.mutedByHost && <AudioMutedOutlined className="zx-people-muted" data-testid="participant-muted" />}
      {items.length > 0 && (
        <Dropdown menu={{ items, onClick: act }} trigger={['click']}>
          <Button type="text" size="small" icon={<MoreOutlined />} data-testid="participant-menu" />
        </Dropdown>
      )}
    </li>
  );
}

/** Who is in the meeting, with the host's controls. */
export function ParticipantsPanel() {
  const { t } = useTranslation('meetings');
  const { modal } = App.useApp();
  const fail = useFail();
  const meeting = useMeetingView((s) => s.meeting);
  if (!meeting) return null;
  const canManage = isHostOrCoHost(meeting, client.session?.userId);
  return (
    <aside className="zx-people" data-testid="participants-panel">
      <header className="zx-people-head">
        <span>{t('participants', { count: meeting.participants.length })}</span>
        <Button
          type="text"
          icon={<CloseOutlined />}
          aria-label={t('back')}
          onClick={() => setShowParticipants(false)}
        />
      </header>
      <ul className="zx-people-list">
        {meeting.participants.map((p) => (
          <Row key={p.userId} meeting={meeting} p={p} canManage={canManage} />
        ))}
      </ul>
      {canManage && (
        <footer className="zx-people-host">
          <div className="zx-people-buttons">
            <Button data-testid="host-mute-all" onClick={() => host.muteAll(meeting.id).catch(fail)}>
              {t('host.muteAll')}
            </Button>
            <Button data-testid="host-unmute-all" onClick={() => host.unmuteAll(meeting.id).catch(fail)}>
              {t('host.unmuteAll')}
            </Button>
          </div>
          <label className="zx-people-switch">
            <span>{t('settings.allowUnmuteSelf')}</span>
            <Switch
              size="small"
              data-testid="host-allow-unmute"
              checked={meeting.settings.allowUnmuteSelf}
              onChange={(v) => host.setAllowUnmuteSelf(meeting.id, v).catch(fail)}
            />
          </label>
          <label className="zx-people-switch">
            <span>{meeting.settings.locked ? t('host.unlock') : t('host.lock')}</span>
            <Switch
              size="small"
              data-testid="host-lock"
              checked={meeting.settings.locked}
              onChange={(v) => host.lock(meeting.id, v).catch(fail)}
            />
          </label>
          <Button
            danger
            block
            data-testid="host-end"
            onClick={() =>
              modal.confirm({
                title: t('host.endConfirm'),
                okButtonProps: { danger: true },
                onOk: () => host.end(meeting.id).catch(fail),
              })
            }
          >
            {t('controls.end')}
          </Button>
        </footer>
      )}
    </aside>
  );
}
