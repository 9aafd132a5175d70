import type { PublicProfile } from '@zhixin/sdk';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { client } from '../../app/client.ts';
import { useSession } from '../../app/session.ts';
import { putProfiles, useContact } from '../../data/people.ts';
import { Avatar } from '../../components/UserAvatar.tsx';
import { isValidPhone, normalizePhone } from '../auth/phone.ts';
import { RequestForm } from '../friends/RequestForm.tsx';
import { ActionButton, TextInput } from './controls.tsx';
import { ScreenFrame } from './ScreenFrame.tsx';
import { useContactsErrorText } from './useContactsErrorText.ts';

const ACCOUNT = /^[A-Za-z][A-Za-z0-9_-]{5,19}$/;

/** What to send to friends.search for what was typed, or null when it is neither a phone nor a 致信号. */
export function searchQueryOf(input: string): string | null {
  const trimmed = input.trim();
  if (ACCOUNT.test(trimmed)) return trimmed;
  return isValidPhone(trimmed) ? normalizePhone(trimmed) : null;
}

/**
 * 添加朋友: find someone by phone number or 致信号, see who it is (their profile opens from the card
 * before anything is sent), then send a friend request with a message and my remark for them.
 */
export function AddContactView() {
  const { t } = useTranslation('contacts');
  const me = useSession((s) => s.me);
  const errorText = useContactsErrorText();
  const [input, setInput] = useState('');
  const [found, setFound] = useState<PublicProfile | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [searching, setSearching] = useState(false);

  const search = async () => {
    setFound(null);
    const query = searchQueryOf(input);
    if (!query) {
      setError(t('errors.invalidQuery'));
      return;
    }
    setError(null);
    setSearching(true);
    try {
      const local = (phone: string) => phone.replace(/^\+86/, '');
      if (me && (local(query) === local(me.phone) || query.toLowerCase() === me.account?.toLowerCase())) {
        setError(t('errors.self'));
        return;
      }
      const { profile } = await client.friends.search(query);
      putProfiles([profile]);
      setFound(profile);
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
              type="search"
              value={input}
              onChange={(v) => {
                setInput(v);
                setError(null);
              }}
              placeholder={t('add.phonePlaceholder')}
              maxLength={32}
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

/** The mini profile card of a found user, a link to the full profile, and the request form. */
function FoundUser({ profile }: { profile: PublicProfile }) {
  const { t } = useTranslation('contacts');
  const navigate = useNavigate();
  const existing = useContact(profile.id);
  const [sent, setSent] = useState(false);
  const profilePath = `/contacts/${encodeURIComponent(profile.id)}`;

  return (
    <div className="zx-ct-found" data-testid="contact-add-result" data-user-id={profile.id}>
      <button
        type="button"
        className="zx-ct-card zx-fr-card-link"
        data-testid="contact-add-profile"
        onClick={() => void navigate(profilePath)}
      >
        <Avatar imageId={profile.avatarFileId} name={profile.nickname} colorKey={profile.id} size={56} />
        <span className="zx-ct-card-text">
          <span className="zx-ct-card-name">{profile.nickname}</span>
          {profile.account && (
            <span className="zx-ct-card-sub">{t('add.account', { account: profile.account })}</span>
          )}
          <span className="zx-ct-card-sub">{profile.signature || t('profile.noSignature')}</span>
        </span>
        <span className="zx-ct-link">{t('add.viewProfile')}</span>
      </button>
      {existing ? (
        <div className="zx-ct-found-actions">
          <span className="zx-ct-muted">{t('add.alreadyContact')}</span>
          <ActionButton kind="primary" onClick={() => void navigate(profilePath)}>
            {t('add.viewProfile')}
          </ActionButton>
        </div>
      ) : sent ? (
        <p className="zx-ct-muted" data-testid="friend-request-sent">
          {t('add.sent')}
        </p>
      ) : (
        <RequestForm
          profile={profile}
          onSent={(outcome) => {
            if (outcome === 'friends') void navigate(profilePath, { replace: true });
            else setSent(true);
          }}
        />
      )}
    </div>
  );
}
