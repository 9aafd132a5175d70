import type { FriendRequest } from '@zhixin/sdk';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { TextInput, useNotice } from '../contacts/controls.tsx';
import { useContactsErrorText } from '../contacts/useContactsErrorText.ts';
import { SettingsDialog } from '../settings/ui.tsx';
import { acceptFriendRequest } from './friends-store.ts';

const MAX_REMARK = 32;

/** "remark (nickname)" when a remark is set and differs from the nickname; else the nickname. */
export function remarkWithNickname(remark: string, nickname: string): string {
  const r = remark.trim();
  return r && r !== nickname ? `${r}（${nickname}）` : nickname;
}

interface AcceptDialogProps {
  request: FriendRequest | null;
  onClose: () => void;
}

/** Accept a friend request, giving the requester a remark; shows how they will be listed. */
export function AcceptDialog({ request, onClose }: AcceptDialogProps) {
  const { t } = useTranslation('friends');
  const notice = useNotice();
  const errorText = useContactsErrorText();
  const [remark, setRemark] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const nickname = request?.from.nickname ?? '';

  const close = () => {
    setRemark('');
    setError(null);
    onClose();
  };

  const accept = async () => {
    if (!request) return;
    setBusy(true);
    setError(null);
    try {
      await acceptFriendRequest(request, remark.trim() || undefined);
      notice(t('requests.acceptedNotice'));
      close();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <SettingsDialog
      open={request !== null}
      title={t('requests.acceptTitle')}
      confirmText={t('requests.done')}
      confirmTestId="friend-request-accept-confirm"
      loading={busy}
      onConfirm={() => void accept()}
      onCancel={close}
    >
      <label className="zx-ct-field">
        <span className="zx-ct-field-label">{t('requests.remarkLabel')}</span>
        <TextInput
          testId="friend-request-remark"
          value={remark}
          onChange={setRemark}
          placeholder={t('requests.remarkPlaceholder')}
          maxLength={MAX_REMARK}
          autoFocus
          onEnter={() => void accept()}
        />
      </label>
      <p className="zx-fr-preview" data-testid="friend-request-remark-preview">
        {t('requests.remarkPreview', { name: remarkWithNickname(remark, nickname) })}
      </p>
      {error && (
        <div className="zx-ct-error" role="alert">
          {error}
        </div>
      )}
    </SettingsDialog>
  );
}
