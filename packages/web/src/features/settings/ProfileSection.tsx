import { CameraOutlined } from '@ant-design/icons';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLayoutKind } from '../../app/layout.ts';
import { useSession } from '../../app/session.ts';
import { maskPhone } from '../auth/phone.ts';
import { AccountDialog } from '../friends/AccountDialog.tsx';
import { MyCodeRow } from '../codes/MyCodeRow.tsx';
import { useErrorText } from '../auth/useErrorText.ts';
import { avatarDataUrl, saveAvatar } from './avatar.ts';
import { EditTextDialog } from './EditTextDialog.tsx';
import { MyAvatar } from './MyAvatar.tsx';
import { NICKNAME_MAX, nicknameProblem, saveProfile, SIGNATURE_MAX, signatureProblem } from './profile.ts';
import { SettingsGroup, SettingsRow, useNotice } from './ui.tsx';

/** My avatar with a file picker over it; the new picture shows at once while it uploads. */
function AvatarPicker({ size }: { size: number }) {
  const { t } = useTranslation('settings');
  const notice = useNotice();
  const errorText = useErrorText();
  const [preview, setPreview] = useState<string | null>(null);

  const pick = async (file: File | undefined) => {
    if (!file) return;
    try {
      const dataUrl = await avatarDataUrl(file);
      setPreview(dataUrl);
      await saveAvatar(dataUrl);
      notice.success(t('profile.avatarSaved'));
    } catch (err) {
      notice.error(
        err instanceof Error && err.name !== 'ZhixinError' ? t('profile.avatarUnreadable') : errorText(err),
      );
    } finally {
      setPreview(null);
    }
  };

  return (
    <label
      className="zx-avatar-picker"
      title={t('profile.changeAvatar')}
      style={{ width: size, height: size }}
    >
      {preview ? (
        <img
          className="zx-avatar"
          src={preview}
          alt=""
          style={{ width: size, height: size, borderRadius: size / 8 }}
        />
      ) : (
        <MyAvatar size={size} />
      )}
      <span className="zx-avatar-picker-badge" aria-hidden>
        <CameraOutlined />
      </span>
      <input
        type="file"
        accept="image/*"
        data-testid="avatar-upload"
        className="zx-visually-hidden"
        aria-label={t('profile.changeAvatar')}
        onChange={(e) => {
          const file = e.target.files?.[0];
          e.target.value = '';
          void pick(file);
        }}
      />
    </label>
  );
}

/** My profile: avatar, nickname, signature; the phone number shown masked. */
export function ProfileSection() {
  const { t } = useTranslation('settings');
  const layout = useLayoutKind();
  const me = useSession((s) => s.me);
  const [editing, setEditing] = useState<'nickname' | 'signature' | 'account' | null>(null);
  const { t: tf } = useTranslation('friends');
  if (!me) return null;

  const nicknameButton = (
    <button
      type="button"
      className="zx-link-button"
      data-testid="profile-edit-nickname"
      onClick={() => setEditing('nickname')}
    >
      {t('profile.edit')}
    </button>
  );

  return (
    <>
      {layout === 'desktop' && (
        <div className="zx-profile-head">
          <AvatarPicker size={72} />
          <div className="zx-profile-head-text">
            <div className="zx-profile-head-name" data-testid="me-nickname">
              {me.nickname}
            </div>
            <div className="zx-profile-head-sub">
              {t('profile.phoneLine', { phone: maskPhone(me.phone) })}
            </div>
          </div>
        </div>
      )}
      <SettingsGroup>
        {layout === 'mobile' && (
          <SettingsRow label={t('profile.avatar')} extra={<AvatarPicker size={56} />} />
        )}
        <SettingsRow
          label={t('profile.nickname')}
          description={layout === 'desktop' ? me.nickname : undefined}
          extra={
            layout === 'desktop' ? (
              nicknameButton
            ) : (
              <span data-testid="profile-edit-nickname">{me.nickname}</span>
            )
          }
          onClick={layout === 'mobile' ? () => setEditing('nickname') : undefined}
        />
        <SettingsRow
          label={t('profile.signature')}
          description={layout === 'desktop' ? me.signature || t('profile.noSignature') : undefined}
          extra={
            layout === 'desktop' ? (
              <button type="button" className="zx-link-button" onClick={() => setEditing('signature')}>
                {t('profile.edit')}
              </button>
            ) : (
              <span className="zx-m-ellipsis">{me.signature || t('profile.noSignature')}</span>
            )
          }
          onClick={layout === 'mobile' ? () => setEditing('signature') : undefined}
        />
        <SettingsRow
          label={tf('account.label')}
          testId="profile-account-row"
          extra={
            <button
              type="button"
              className="zx-link-button"
              data-testid="profile-edit-account"
              onClick={() => setEditing('account')}
            >
              {me.account ?? tf('account.unset')}
            </button>
          }
        />
        <SettingsRow label={t('profile.phone')} extra={maskPhone(me.phone)} />
        <MyCodeRow />
      </SettingsGroup>
      <AccountDialog
        open={editing === 'account'}
        initial={me.account ?? ''}
        onClose={() => setEditing(null)}
      />
      <EditTextDialog
        open={editing === 'nickname'}
        title={t('profile.nickname')}
        initial={me.nickname}
        maxLength={NICKNAME_MAX}
        inputTestId="profile-nickname-input"
        problem={nicknameProblem}
        save={(nickname) => saveProfile({ nickname })}
        onClose={() => setEditing(null)}
      />
      <EditTextDialog
        open={editing === 'signature'}
        title={t('profile.signature')}
        initial={me.signature}
        maxLength={SIGNATURE_MAX}
        multiline
        inputTestId="profile-signature-input"
        problem={signatureProblem}
        save={(signature) => saveProfile({ signature })}
        onClose={() => setEditing(null)}
      />
    </>
  );
}
