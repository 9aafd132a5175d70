import type { MyCode } from '@zhixin/sdk';
import { Button, Segmented } from 'antd';
import { Button as MobileButton, Selector } from 'antd-mobile';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { client } from '../../app/client.ts';
import { useLayoutKind } from '../../app/layout.ts';
import { usePreferences } from '../../app/preferences.ts';
import { useSession } from '../../app/session.ts';
import { QrCode } from '../../components/QrCode.tsx';
import { UserAvatar } from '../../components/UserAvatar.tsx';
import { FormNotice } from '../auth/fields.tsx';
import { formatMoment, useCodeErrorText } from './useCodeErrorText.ts';

const VALIDITIES = [7, 30, 0] as const;

/** My code as a QR code, with its validity and a refresh that makes every older code stop working. */
export function MyCodePanel() {
  const { t } = useTranslation('codes');
  const layout = useLayoutKind();
  const language = usePreferences((p) => p.language);
  const me = useSession((s) => s.me);
  const errorText = useCodeErrorText();
  const [code, setCode] = useState<MyCode | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const run = useCallback(
    async (load: () => Promise<MyCode>, done?: string) => {
      setBusy(true);
      setError(null);
      try {
        setCode(await load());
        setNotice(done ?? null);
      } catch (err) {
        setError(errorText(err));
      } finally {
        setBusy(false);
      }
    },
    [errorText],
  );

  useEffect(() => {
    void run(() => client.codes.mine());
  }, [run]);

  const refresh = (validityDays?: number) =>
    void run(() => client.codes.refreshMine({ validityDays }), t('myCode.refreshed'));

  const label = (days: number) =>
    days === 7 ? t('myCode.days7') : days === 30 ? t('myCode.days30') : t('myCode.forever');
  const options = VALIDITIES.map((d) => ({ label: label(d), value: d }));
  const current = code?.validityDays;

  return (
    <>
      {me && (
        <div className="zx-code-person">
          <UserAvatar userId={me.id} size={44} />
          <span className="zx-code-person-name">{me.nickname}</span>
        </div>
      )}
      {code ? (
        <QrCode text={code.code} size={220} testId="my-code-qr" label={t('myCode.title')} />
      ) : (
        <div style={{ width: 220, height: 220 }} />
      )}
      <p className="zx-code-hint">{t('myCode.hint')}</p>
      {code && (
        <p className="zx-code-meta" data-testid="my-code-expiry">
          {code.expiresAt === null
            ? t('myCode.never')
            : t('myCode.expiresAt', { time: formatMoment(code.expiresAt, language) })}
        </p>
      )}
      <div className="zx-code-row">
        <span className="zx-code-meta">{t('myCode.validity')}</span>
        {layout === 'mobile' ? (
          <Selector
            options={options}
            value={current === undefined ? [] : [current]}
            onChange={(v) => v[0] !== undefined && v[0] !== current && refresh(v[0])}
          />
        ) : (
          <Segmented
            options={options}
            value={current}
            disabled={busy}
            onChange={(v) => v !== current && refresh(v)}
          />
        )}
      </div>
      {error && <FormNotice type="error">{error}</FormNotice>}
      {notice && !error && <FormNotice type="success">{notice}</FormNotice>}
      {layout === 'mobile' ? (
        <MobileButton block loading={busy} onClick={() => refresh()} data-testid="my-code-refresh">
          {t('myCode.refresh')}
        </MobileButton>
      ) : (
        <Button loading={busy} onClick={() => refresh()} data-testid="my-code-refresh">
          {t('myCode.refresh')}
        </Button>
      )}
    </>
  );
}
