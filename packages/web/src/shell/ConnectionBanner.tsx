import type { ConnectionState } from '@zhixin/sdk';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { client } from '../app/client.ts';

/** A thin banner while the realtime connection is down; nothing while it is up. */
export function ConnectionBanner() {
  const { t } = useTranslation();
  const [state, setState] = useState<ConnectionState>(client.connectionState);
  useEffect(() => client.on('connection.state', (change) => setState(change.state)), []);
  if (state === 'connected' || state === 'disconnected') return null;
  return (
    <div role="status" data-testid="connection-banner" className="zx-connection-banner">
      {state === 'connecting' ? t('connecting') : t('offline')}
    </div>
  );
}
