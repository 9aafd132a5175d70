import type { PublicProfile } from '@zhixin/sdk';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { client } from '../../app/client.ts';
import { useSession } from '../../app/session.ts';
import { addContact, putProfiles, useContact } from '../../data/people.ts';
import { Avatar } from '../../components/UserAvatar.tsx';
import { isValidPhone, normalizePhone } from '../auth/phone.ts';
import { ActionButton, TextInput, useNotice } from './controls.tsx';
import { ScreenFrame } from './ScreenFrame.tsx';
import { useContactsErrorText } from './useContactsErrorText.ts';

/** Add a contact by phone number: look the number up, show who it is, add with an optional remark. */
export function AddContactView() {
  const { t } = useTranslation('contacts');
  const me = useSession((s) => s.me);
  const errorText = useContactsErrorText();
  const [phone, setPhone] = useState('');
  const [found, setFound] = useState<PublicProfile | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [searching, setSearching] = useState(false);

  const search = async () => {
    setFound(null);
    if (!isValidPhone(phone)) {
      setError(t('errors.invalidPhone'));
      return;
    }
    setError(null);
    setSearching(true);
    try {
      const profile = await client.users.lookupByPhone(normalizePhone(phone));
      if (profile.id === me?.id) setError(t('errors.self'));
      else {
        putProfiles([profile]);
        setFound(profile);
      }
    } catch (err) {
      setError(errorText(err));
    } finally {
      setSearching(false);
    }
  };

  return (
    <ScreenFrame title={t('add.title')} backTo="/contacts">
      <div className="zx-ct-add">
        <div className="zx-ct-add-search">
          <div className="zx-ct-grow">
            <TextInput
              testId="contact-add-phone"
              type="tel"
              value={phone}
              onChange={(v) => {
                setPhone(v);
                setError(null);
              }}
              placeholder={t('add.phonePlaceholder')}
              maxLength={20}
              autoFocus
              onEnter={() => void search()}
            />
          </div>
          <ActionButton
            testId="contact-add-search"
            kind="primary"
            loading={searching}
            onClick={() => void search()}
          >
            {t('add.search')}
          </ActionButton>
        </div>
        {error && (
          <div className="zx-ct-error" role="alert" data-testid="contact-add-error">
            {error}
          </div>
        )}
        {found && <FoundUser key={found.id} profile={found} />}
      </div>
    </ScreenFrame>
  );
}

/** The mini profile card of a found user, with an optional remark and the add button. */
function FoundUser({ profile }: { profile: PublicProfile }) {
  const { t } = useTranslation('contacts');
  const navigate = useNavigate();
  const notice = useNotice();
  const errorText = useContactsErrorText();
  const existing = useContact(profile.id);
  const [remark, setRemark] = useState('');
  const [adding, setAdding] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const profilePath = `/contacts/${encodeURIComponent(profile.id)}`;

  const add = async () => {
    setAdding(true);
    setError(null);
    try {
      await addContact(profile.id, remark.trim() || undefined);
      notice(t('add.added'));
      void navigate(profilePath, { replace: true });
    } catch (err) {
      setError(errorText(err));
    } finally {
      setAdding(false);
    }
  };

  return (
    <div className="zx-ct-found" data-testid="contact-add-result" data-user-id={profile.id}>
      <div className="zx-ct-card">
        <Avatar imageId={profile.avatarFileId} name={profile.nickname} colorKey={profile.id} size={56} />
        <div className="zx-ct-card-text">
          <div className="zx-ct-card-name">{profile.nickname}</div>
          <div className="zx-ct-card-sub">{profile.signature || t('profile.noSignature')}</div>
        </div>
      </div>
      {existing ? (
        <div className="zx-ct-found-actions">
          <span className="zx-ct-muted">{t('add.alreadyContact')}</span>
          <ActionButton kind="primary" onClick={() => void navigate(profilePath)}>
            {t('add.viewProfile')}
          </ActionButton>
        </div>
      ) : (
        <>
          <label className="zx-ct-field">
            <span className="zx-ct-field-label">{t('add.remarkLabel')}</span>
            <TextInput
              testId="contact-add-remark"
              value={remark}
              onChange={setRemark}
              placeholder={t('add.remarkPlaceholder')}
              maxLength={32}
              onEnter={() => void add()}
            />
          </label>
          {error && (
            <div className="zx-ct-error" role="alert">
              {error}
            </div>
          )}
          <div className="zx-ct-found-actions">
            <ActionButton
              testId="contact-add-confirm"
              kind="primary"
              block
              loading={adding}
              onClick={() => void add()}
            >
              {t('add.confirm')}
            </ActionButton>
          </div>
        </>
      )}
    </div>
  );
}
