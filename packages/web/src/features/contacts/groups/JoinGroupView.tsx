import type { GroupPreview } from '@zhixin/sdk';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { client } from '../../../app/client.ts';
import { Avatar } from '../../../components/UserAvatar.tsx';
import { putConversations } from '../../../data/conversations.ts';
import { ActionButton } from '../controls.tsx';
import { ScreenFrame } from '../ScreenFrame.tsx';
import { useGroupsErrorText } from './errors.ts';
import './groups.css';

/**
 * `/contacts/join-group?code=ZX1.g.…` (where a scanned group code leads): what the group is, and
 * a button to join it, or to ask to when an admin must approve.
 */
export function JoinGroupView() {
  const { t } = useTranslation('groups');
  const navigate = useNavigate();
  const errorText = useGroupsErrorText();
  const [params] = useSearchParams();
  const code = params.get('code') ?? '';
  const [preview, setPreview] = useState<GroupPreview | null>(null);
  const [error, setError] = useState<string | null>(code ? null : t('join.noCode'));
  const [requested, setRequested] = useState(false);
  const [joining, setJoining] = useState(false);

  useEffect(() => {
    if (!code) return;
    let live = true;
    client.groups
      .preview(code)
      .then((p) => live && setPreview(p))
      .catch((err: unknown) => live && setError(errorText(err)));
    return () => {
      live = false;
    };
  }, [code, errorText]);

  const open = (conversationId: string) => void navigate(`/chats/${encodeURIComponent(conversationId)}`);

  const join = async () => {
    setJoining(true);
    try {
      const result = await client.groups.joinByCode(code);
      if (result.status === 'joined' && result.conversation) {
        putConversations([result.conversation]);
        open(result.conversation.id);
      } else setRequested(true);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setJoining(false);
    }
  };

  return (
    <ScreenFrame title={t('join.title')} backTo="/contacts">
      <div className="zx-gp-join" data-testid="join-group-view">
        {error ? (
          <p className="zx-gp-muted-text" data-testid="join-group-error">
            {error}
          </p>
        ) : !preview ? (
          <p className="zx-gp-muted-text">{t('join.loading')}</p>
        ) : (
          <>
            <Avatar
              imageId={preview.avatarImageId}
              name={preview.title}
              colorKey={preview.conversationId}
              size={72}
            />
            <div className="zx-gp-join-title" data-testid="join-group-title">
              {preview.title}
            </div>
            <div className="zx-gp-muted-text">{t('join.memberCount', { count: preview.memberCount })}</div>
            {preview.joinApproval && !preview.member && (
              <div className="zx-gp-muted-text">{t('join.approvalNote')}</div>
            )}
            {preview.member ? (
              <ActionButton
                kind="primary"
                testId="join-group-open"
                onClick={() => open(preview.conversationId)}
              >
                {t('join.open')}
              </ActionButton>
            ) : requested ? (
              <p data-testid="join-group-requested">{t('join.requested')}</p>
            ) : (
              <ActionButton
                kind="primary"
                testId="join-group-submit"
                loading={joining}
                onClick={() => void join()}
              >
                {preview.joinApproval ? t('join.request') : t('join.submit')}
              </ActionButton>
            )}
          </>
        )}
      </div>
    </ScreenFrame>
  );
}
