import type { Recommendation } from '@zhixin/sdk';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { Avatar } from '../../components/UserAvatar.tsx';
import { ActionButton, useNotice } from '../contacts/controls.tsx';
import { useContactsErrorText } from '../contacts/useContactsErrorText.ts';
import { RequestForm } from '../friends/RequestForm.tsx';
import {
  dismissRecommendation,
  dropRecommendation,
  reasonText,
  refreshRecommendations,
  useRecommendations,
} from './recommend-store.ts';
import './recommend.css';

/** 可能认识的人: suggestions with why, "add" (the usual friend request form) and "dismiss". */
export function PeopleYouMayKnow() {
  const { t } = useTranslation('recommend');
  const items = useRecommendations((s) => s.items);
  const loaded = useRecommendations((s) => s.loaded);
  const errorText = useContactsErrorText();
  const notice = useNotice();

  useEffect(() => {
    refreshRecommendations().catch((err: unknown) => notice(errorText(err), 'error'));
  }, [notice, errorText]);

  if (loaded && items.length === 0) return null;
  return (
    <section className="zx-rc" data-testid="recommendations" aria-label={t('title')}>
      <h3 className="zx-fr-heading">{t('title')}</h3>
      {items.map((r) => (
        <RecommendationItem key={r.user.id} item={r} />
      ))}
    </section>
  );
}

function RecommendationItem({ item }: { item: Recommendation }) {
  const { t } = useTranslation('recommend');
  const navigate = useNavigate();
  const notice = useNotice();
  const errorText = useContactsErrorText();
  const [requesting, setRequesting] = useState(false);
  const [dismissing, setDismissing] = useState(false);
  const { user } = item;

  const dismiss = async () => {
    setDismissing(true);
    try {
      await dismissRecommendation(user.id);
      notice(t('dismissed'));
    } catch (err) {
      notice(errorText(err), 'error');
      setDismissing(false);
    }
  };

  return (
    <div className="zx-rc-item" data-testid="recommendation-item" data-user-id={user.id}>
      <div className="zx-fr-item">
        <button
          type="button"
          className="zx-fr-who"
          onClick={() => void navigate(`/contacts/${encodeURIComponent(user.id)}`)}
        >
          <Avatar imageId={user.avatarFileId} name={user.nickname} colorKey={user.id} size={44} />
          <span className="zx-fr-text">
            <span className="zx-fr-name">{user.nickname}</span>
            <span className="zx-fr-message" data-testid="recommendation-reasons">
              {reasonText(t, item.reasons)}
            </span>
          </span>
        </button>
        <div className="zx-fr-actions">
          <ActionButton
            small
            testId="recommendation-dismiss"
            loading={dismissing}
            onClick={() => void dismiss()}
          >
            {t('dismiss')}
          </ActionButton>
          <ActionButton
            small
            kind="primary"
            testId="recommendation-add"
            onClick={() => setRequesting((v) => !v)}
          >
            {requesting ? t('cancel') : t('add')}
          </ActionButton>
        </div>
      </div>
      {requesting && (
        <div className="zx-rc-form">
          <RequestForm profile={user} onSent={() => dropRecommendation(user.id)} />
        </div>
      )}
    </div>
  );
}
