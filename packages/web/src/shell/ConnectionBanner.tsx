import type { ConnectionState } from '@zhixin/sdk';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { client } from '../app/client.ts';

/** Connecting at start-up or a brief blip is normal; say something only when it lasts. */
const GRACE_MS = 1500;

function isDown(state: ConnectionState): boolean {
  return state === 'connecting' || state === 'reconnecting';
}

/** A thin banner while the realtime connection has been down for a while; nothing while it is up. */
export function ConnectionBanner() {
  const { t } = useTranslation();
  const [state, setState] = useState<ConnectionState>(client.connectionState);
  const [visible, setVisible] = useState(false);

  useEffect(() => client.on('connection.state', (change) => setState(change.state)), []);
  useEffect(() => {
    if (!isDown(state)) {
      setVisible(false);
      return;
    }
    const timer = window.setTimeout(() => setVisible(true), GRACE_MS);
    return () => window.clearTimeout(timer);
  }, [state]);

  if (!visible || !isDown(state)) return null;
  return (
    <div role="status" data-testid="connection-banner" className="zx-connection-banner">
      {state === 'connecting' ? t('connecting') : t('offline')}
    </div>
  );
}
