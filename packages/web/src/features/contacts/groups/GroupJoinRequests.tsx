import type { JoinRequest } from '@zhixin/sdk';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { client } from '../../../app/client.ts';
import { UserAvatar } from '../../../components/UserAvatar.tsx';
import { useDisplayName } from '../../../data/people.ts';
import { ActionButton, useNotice } from '../controls.tsx';
import { useGroupsErrorText } from './errors.ts';

/** Pending join requests for the owner and admins, refreshed when the server says they changed. */
export function GroupJoinRequests({
  conversationId,
  onChanged,
}: {
  conversationId: string;
  onChanged: () => void;
}) {
  const { t } = useTranslation('groups');
  const [requests, setRequests] = useState<JoinRequest[]>([]);
  const [version, setVersion] = useState(0);
  const reload = useCallback(() => setVersion((v) => v + 1), []);

  useEffect(() => {
    let live = true;
    client.groups
      .joinRequests(conversationId)
      .then((list) => live && setRequests(list))
      .catch(() => live && setRequests([]));
    return () => {
      live = false;
    };
  }, [conversationId, version]);

  useEffect(
    () =>
      client.on('conversation.changed', (e) => {
        if (e.conversationId === conversationId && e.reason === 'joinRequests') reload();
      }),
    [conversationId, reload],
  );

  if (requests.length === 0) return null;
  return (
    <div className="zx-gp-section" data-testid="group-join-requests">
      <div className="zx-gp-section-head">
        <span>{t('manage.requests', { count: requests.length })}</span>
      </div>
      {requests.map((r) => (
        <RequestRow
          key={r.id}
          request={r}
          onDone={() => {
            reload();
            onChanged();
          }}
        />
      ))}
    </div>
  );
}

function RequestRow({ request: r, onDone }: { request: JoinRequest; onDone: () => void }) {
  const { t } = useTranslation('groups');
  const notice = useNotice();
  const errorText = useGroupsErrorText();
  const name = useDisplayName(r.userId);
  const inviter = useDisplayName(r.inviterId);
  const [busy, setBusy] = useState(false);
  const act = async (approve: boolean) => {
    setBusy(true);
    try {
      if (approve) await client.groups.approveJoin(r.conversationId, r.id);
      else await client.groups.declineJoin(r.conversationId, r.id);
      onDone();
    } catch (err) {
      notice(errorText(err), 'error');
      setBusy(false);
    }
  };
  return (
    <div
      className="zx-gp-row"
      data-testid="group-join-request"
      data-request-id={r.id}
      data-user-id={r.userId}
    >
      <UserAvatar userId={r.userId} size={32} />
      <div className="zx-gp-row-main">
        <span className="zx-gp-row-title">{name}</span>
        <span className="zx-gp-row-sub">
          {r.inviterId ? t('manage.invitedBy', { name: inviter }) : t('manage.byCode')}
        </span>
      </div>
      <ActionButton
        small
        kind="primary"
        testId="group-approve"
        disabled={busy}
        onClick={() => void act(true)}
      >
        {t('manage.approve')}
      </ActionButton>
      <ActionButton small testId="group-decline" disabled={busy} onClick={() => void act(false)}>
        {t('manage.decline')}
      </ActionButton>
    </div>
  );
}
