import type { GroupCode } from '@zhixin/sdk';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { client } from '../../../app/client.ts';
import { QrCode } from '../../../components/QrCode.tsx';
import { ActionButton, useNotice } from '../controls.tsx';
import { useGroupsErrorText } from './errors.ts';

/** The group's QR code (its signed code text) for members; admins may reset it. */
export function GroupQrSection({
  conversationId,
  canRefresh,
}: {
  conversationId: string;
  canRefresh: boolean;
}) {
  const { t } = useTranslation('groups');
  const notice = useNotice();
  const errorText = useGroupsErrorText();
  const [code, setCode] = useState<GroupCode | null>(null);
  const [shown, setShown] = useState(false);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!shown) return;
    let live = true;
    client.groups
      .code(conversationId)
      .then((c) => live && setCode(c))
      .catch((err: unknown) => live && notice(errorText(err), 'error'));
    return () => {
      live = false;
    };
  }, [conversationId, shown, notice, errorText]);

  const refresh = async () => {
    setBusy(true);
    try {
      setCode(await client.groups.refreshCode(conversationId));
      notice(t('qr.refreshed'));
    } catch (err) {
      notice(errorText(err), 'error');
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="zx-gp-section">
      <div className="zx-gp-section-head">
        <span>{t('qr.title')}</span>
        {!shown && (
          <ActionButton small testId="group-qr-show" onClick={() => setShown(true)}>
            {t('qr.show')}
          </ActionButton>
        )}
      </div>
      {shown && code && (
        <div className="zx-gp-qr">
          <QrCode text={code.code} size={180} testId="group-qr" label={t('qr.title')} />
          <span className="zx-gp-muted-text">{t('qr.hint')}</span>
          {code.expiresAt !== null && (
            <span className="zx-gp-muted-text">
              {t('qr.expires', { date: new Date(code.expiresAt).toLocaleDateString() })}
            </span>
          )}
          {canRefresh && (
            <ActionButton small testId="group-qr-refresh" loading={busy} onClick={() => void refresh()}>
              {t('qr.refresh')}
            </ActionButton>
          )}
        </div>
      )}
    </div>
  );
}
