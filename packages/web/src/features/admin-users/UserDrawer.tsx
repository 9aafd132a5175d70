import type { AdminUserDetail } from '@zhixin/sdk';
import { App, Button, Descriptions, Drawer, List, Spin, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { client } from '../../app/client.ts';
import { DepartmentEditor } from './DepartmentEditor.tsx';
import { formatTime, useAdminErrorText } from './errors.ts';
import { ResetPasswordDialog } from './ResetPasswordDialog.tsx';
import { RoleEditor } from './RoleEditor.tsx';
import { TypeToConfirm } from './TypeToConfirm.tsx';

export interface UserDrawerProps {
  userId: string | null;
  onClose: () => void;
  /** Something changed: the list reloads. */
  onChanged: () => void;
}

/** A user's detail with the operator's actions; destructive ones ask to type the nickname. */
export function UserDrawer({ userId, onClose, onChanged }: UserDrawerProps) {
  const { t } = useTranslation('adminUsers');
  const { message, modal } = App.useApp();
  const errorText = useAdminErrorText();
  const [detail, setDetail] = useState<AdminUserDetail | null>(null);
  const [confirmDisable, setConfirmDisable] = useState(false);
  const [resetting, setResetting] = useState(false);

  const load = useCallback(() => {
    if (!userId) return;
    client.admin
      .user(userId)
      .then(setDetail)
      .catch((err: unknown) => void message.error(errorText(err)));
  }, [userId, message, errorText]);
  useEffect(() => {
    setDetail(null);
    load();
  }, [load]);

  const act = async (run: () => Promise<unknown>, done: string) => {
    try {
      await run();
      void message.success(done);
      load();
      onChanged();
    } catch (err) {
      void message.error(errorText(err));
    }
  };

  const u = detail?.user;
  const never = t('common.never');
  return (
    <Drawer
      open={userId !== null}
      onClose={onClose}
      size={560}
      title={t('detail.title')}
      data-testid="admin-user-drawer"
      destroyOnHidden
    >
      {!detail || !u ? (
        <Spin />
      ) : (
        <>
          <Descriptions column={1} size="small" bordered className="zx-au-section">
            <Descriptions.Item label={t('users.nickname')}>
              <span data-testid="admin-user-nickname">{u.nickname}</span> <Tag>{t(`status.${u.status}`)}</Tag>
              {u.leftAt !== null && <Tag>{t('users.left')}</Tag>}
            </Descriptions.Item>
            <Descriptions.Item label={t('users.phone')}>{u.phoneMasked || '—'}</Descriptions.Item>
            <Descriptions.Item label={t('users.account')}>{u.account ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('detail.signature')}>{detail.signature || '—'}</Descriptions.Item>
            <Descriptions.Item label={t('users.roleCol')}>{t(`role.${u.role}`)}</Descriptions.Item>
            <Descriptions.Item label={t('detail.departments')}>
              {detail.departments.departments.length === 0
                ? t('detail.noDepartment')
                : detail.departments.departments.map((d) => (
                    <div key={d.departmentId}>
                      {d.path.join(' / ')}
                      {d.title ? ` · ${d.title}` : ''}
                      {d.primary && <Tag style={{ marginLeft: 8 }}>{t('detail.primary')}</Tag>}
                    </div>
                  ))}
            </Descriptions.Item>
            <Descriptions.Item label={t('users.created')}>{formatTime(u.createdAt, never)}</Descriptions.Item>
            <Descriptions.Item label={t('users.lastActive')}>
              {formatTime(u.lastActiveAt, never)}
            </Descriptions.Item>
          </Descriptions>

          <Typography.Title level={5}>{t('detail.actions')}</Typography.Title>
          <div className="zx-au-actions zx-au-section">
            {u.status === 'active' ? (
              <Button danger data-testid="admin-user-disable" onClick={() => setConfirmDisable(true)}>
                {t('detail.disable')}
              </Button>
            ) : (
              <Button
                data-testid="admin-user-enable"
                onClick={() => void act(() => client.admin.setDisabled(u.id, false), t('detail.enabled'))}
              >
                {t('detail.enable')}
              </Button>
            )}
            <Button data-testid="admin-user-reset" onClick={() => setResetting(true)}>
              {t('detail.resetPassword')}
            </Button>
            <Button
              data-testid="admin-user-logout"
              onClick={() =>
                modal.confirm({
                  title: t('detail.forceLogout'),
                  content: t('detail.forceLogoutConfirm'),
                  okButtonProps: { danger: true, 'data-testid': 'admin-user-logout-ok' },
                  onOk: () =>
                    act(async () => {
                      const r = await client.admin.forceLogout(u.id);
                      void message.info(t('detail.loggedOut', { count: r.revoked }));
                    }, t('detail.forceLogout')),
                })
              }
            >
              {t('detail.forceLogout')}
            </Button>
            <Button
              onClick={() => void act(() => client.admin.setLeft(u.id, u.leftAt === null), t('common.save'))}
            >
              {u.leftAt === null ? t('detail.markLeft') : t('detail.unmarkLeft')}
            </Button>
          </div>

          <DepartmentEditor
            detail={detail}
            onSaved={() => {
              load();
              onChanged();
            }}
          />
          <RoleEditor
            user={u}
            onSaved={() => {
              load();
              onChanged();
            }}
          />

          <Typography.Title level={5}>{t('detail.devices')}</Typography.Title>
          <List
            size="small"
            bordered
            locale={{ emptyText: t('detail.noDevices') }}
            dataSource={detail.devices}
            renderItem={(d) => (
              <List.Item
                actions={[
                  <Button
                    key="out"
                    size="small"
                    onClick={() =>
                      void act(() => client.admin.forceLogout(u.id, d.sessionId), t('detail.logoutDevice'))
                    }
                  >
                    {t('detail.logoutDevice')}
                  </Button>,
                ]}
              >
                <List.Item.Meta
                  title={`${d.name} (${d.platform})`}
                  description={t('detail.lastSeen', { time: formatTime(d.lastSeenAt, never) })}
                />
              </List.Item>
            )}
          />

          <TypeToConfirm
            open={confirmDisable}
            title={t('detail.disable')}
            text={t('detail.disableConfirm')}
            word={u.nickname}
            okText={t('detail.disable')}
            testId="admin-user-disable-confirm"
            onClose={() => setConfirmDisable(false)}
            onConfirm={() => act(() => client.admin.setDisabled(u.id, true), t('detail.disabled'))}
          />
          <ResetPasswordDialog user={u} open={resetting} onClose={() => setResetting(false)} />
        </>
      )}
    </Drawer>
  );
}
