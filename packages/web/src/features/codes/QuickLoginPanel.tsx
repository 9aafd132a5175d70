import type { QuickLoginAttempt } from '@zhixin/sdk';
import { Button } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { client } from '../../app/client.ts';
import { signedIn } from '../../app/session.ts';
import { QrCode } from '../../components/QrCode.tsx';
import { FormNotice } from '../auth/fields.tsx';
import { useCodeErrorText } from './useCodeErrorText.ts';
import './codes.css';

type Shown = 'loading' | 'pending' | 'scanned' | 'declined' | 'confirmed';

/**
 * The desktop login page's "扫码登录": shows a quick-login QR code, follows it (scanned, then
 * confirmed or declined on the phone), replaces it when it expires, and signs in when confirmed.
 */
export function QuickLoginPanel() {
  const { t } = useTranslation('codes');
  const errorText = useCodeErrorText();
  const [round, setRound] = useState(0);
  const [attempt, setAttempt] = useState<QuickLoginAttempt | null>(null);
  const [shown, setShown] = useState<Shown>('loading');
  const [scanner, setScanner] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const abort = new AbortController();
    setShown('loading');
    setScanner(null);
    setError(null);
    (async () => {
      const a = await client.auth.quickLoginStart();
      if (abort.signal.aborted) return;
      setAttempt(a);
      setShown('pending');
      const result = await client.auth.quickLoginWait(a, {
        signal: abort.signal,
        onStatus: (s) => {
          if (s.state === 'scanned') {
            setShown('scanned');
            setScanner(s.scanner?.nickname ?? null);
          }
        },
      });
      if (abort.signal.aborted) return;
      if (result.state === 'confirmed') {
        setShown('confirmed');
        await signedIn();
      } else if (result.state === 'declined') setShown('declined');
      // An expired code is replaced at once: the desktop keeps showing a scannable one.
      else if (result.state === 'expired') setRound((r) => r + 1);
    })().catch((err: unknown) => {
      if (!abort.signal.aborted) setError(errorText(err));
    });
    return () => abort.abort();
  }, [round, errorText]);

  const status =
    shown === 'scanned'
      ? t('quickLogin.scanned')
      : shown === 'declined'
        ? t('quickLogin.declined')
        : shown === 'confirmed'
          ? t('quickLogin.confirmed')
          : t('quickLogin.hint');
  const stale = shown === 'declined' || error !== null;

  return (
    <div className="zx-quick-login" data-state={shown}>
      <div className="zx-code-qr-box">
        {attempt ? (
          <QrCode text={attempt.code} size={200} testId="quick-login-qr" label={t('quickLogin.tab')} />
        ) : (
          <div style={{ width: 200, height: 200 }} />
        )}
        {(shown === 'scanned' || stale) && (
          <div className="zx-code-qr-overlay">
            {shown === 'scanned' && scanner && <span>{t('quickLogin.scannedBy', { name: scanner })}</span>}
            {stale && (
              <Button type="primary" onClick={() => setRound((r) => r + 1)} data-testid="quick-login-refresh">
                {t('quickLogin.refresh')}
              </Button>
            )}
          </div>
        )}
      </div>
      <div className="zx-quick-login-status" data-testid="quick-login-status" data-state={shown}>
        {status}
      </div>
      {shown === 'pending' && <p className="zx-code-meta">{t('quickLogin.expiresHint')}</p>}
      {error && <FormNotice type="error">{error}</FormNotice>}
    </div>
  );
}
