import type { QuickLoginScanned } from '@zhixin/sdk';
import { DesktopOutlined } from '@ant-design/icons';
import { Button } from 'antd';
import { Button as MobileButton } from 'antd-mobile';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { client } from '../../app/client.ts';
import { useLayoutKind } from '../../app/layout.ts';
import { FormNotice } from '../auth/fields.tsx';
import { useCodeErrorText } from '../codes/useCodeErrorText.ts';

/** The phone's "log in on the desktop?" question after scanning a quick-login code. */
export function QuickLoginConfirm({ login, onDone }: { login: QuickLoginScanned; onDone: () => void }) {
  const { t } = useTranslation('codes');
  const layout = useLayoutKind();
  const errorText = useCodeErrorText();
  const [busy, setBusy] = useState<'allow' | 'decline' | null>(null);
  const [result, setResult] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const answer = async (allow: boolean) => {
    setBusy(allow ? 'allow' : 'decline');
    setError(null);
    try {
      await client.codes.confirmLogin(login.attemptId, allow);
      setResult(allow ? t('quickLogin.allowed') : t('quickLogin.cancelled'));
      setTimeout(onDone, 1200);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(null);
    }
  };

  return (
    <div className="zx-scan-confirm" data-testid="quick-login-confirm-screen">
      <DesktopOutlined className="zx-scan-confirm-icon" />
      <h3>{t('quickLogin.confirmTitle')}</h3>
      <p>{t('quickLogin.confirmText', { device: login.device.name })}</p>
      <p className="zx-code-meta">{t('quickLogin.confirmNote')}</p>
      {error && <FormNotice type="error">{error}</FormNotice>}
      {result ? (
        <div data-testid="scan-result" className="zx-scan-result">
          {result}
        </div>
      ) : (
        <div className="zx-scan-confirm-actions">
          {layout === 'mobile' ? (
            <>
              <MobileButton
                block
                color="primary"
                loading={busy === 'allow'}
                disabled={busy !== null}
                onClick={() => void answer(true)}
                data-testid="quick-login-confirm"
              >
                {t('quickLogin.allow')}
              </MobileButton>
              <MobileButton
                block
                fill="none"
                disabled={busy !== null}
                onClick={() => void answer(false)}
                data-testid="quick-login-decline"
              >
                {t('quickLogin.cancel')}
              </MobileButton>
            </>
          ) : (
            <>
              <Button
                type="primary"
                loading={busy === 'allow'}
                disabled={busy !== null}
                onClick={() => void answer(true)}
                data-testid="quick-login-confirm"
              >
                {t('quickLogin.allow')}
              </Button>
              <Button
                disabled={busy !== null}
                onClick={() => void answer(false)}
                data-testid="quick-login-decline"
              >
                {t('quickLogin.cancel')}
              </Button>
            </>
          )}
        </div>
      )}
    </div>
  );
}
