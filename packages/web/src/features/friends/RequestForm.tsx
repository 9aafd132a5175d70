import type { PublicProfile } from '@zhixin/sdk';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../app/session.ts';
import { ActionButton, TextInput, useNotice } from '../contacts/controls.tsx';
import { useContactsErrorText } from '../contacts/useContactsErrorText.ts';
import { sendFriendRequest } from './friends-store.ts';
import './friends.css';

const MAX_MESSAGE = 100;
const MAX_REMARK = 32;

interface RequestFormProps {
  profile: PublicProfile;
  /** After the request went out (`friends`: the target lets anyone add them, so we are friends). */
  onSent: (outcome: 'pending' | 'friends') => void;
}

/** The friend request to one user: a message (prefilled "我是<my nickname>") and my remark for them. */
export function RequestForm({ profile, onSent }: RequestFormProps) {
  const { t } = useTranslation('contacts');
  const me = useSession((s) => s.me);
  const notice = useNotice();
  const errorText = useContactsErrorText();
  const [message, setMessage] = useState(() => t('add.messageDefault', { name: me?.nickname ?? '' }));
  const [remark, setRemark] = useState('');
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const send = async () => {
    setSending(true);
    setError(null);
    try {
      const res = await sendFriendRequest(profile.id, message.trim(), remark.trim() || undefined);
      notice(res.outcome === 'friends' ? t('add.addedDirect') : t('add.sent'));
      onSent(res.outcome);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setSending(false);
    }
  };

  return (
    <div className="zx-fr-form">
      <label className="zx-ct-field">
        <span className="zx-ct-field-label">{t('add.messageLabel')}</span>
        <TextInput
          testId="friend-request-message-input"
          value={message}
          onChange={setMessage}
          maxLength={MAX_MESSAGE}
          onEnter={() => void send()}
        />
      </label>
      <label className="zx-ct-field">
        <span className="zx-ct-field-label">{t('add.remarkLabel')}</span>
        <TextInput
          testId="contact-add-remark"
          value={remark}
          onChange={setRemark}
          placeholder={t('add.remarkPlaceholder')}
          maxLength={MAX_REMARK}
          onEnter={() => void send()}
        />
      </label>
      {error && (
        <div className="zx-ct-error" role="alert" data-testid="friend-request-error">
          {error}
        </div>
      )}
      <div className="zx-ct-found-actions">
        <ActionButton
          testId="contact-add-confirm"
          kind="primary"
          block
          loading={sending}
          onClick={() => void send()}
        >
          {t('add.confirm')}
        </ActionButton>
      </div>
    </div>
  );
}
