import type { Broadcast } from '@zhixin/sdk';
import { App as AntApp, Button, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { client } from '../../../app/client.ts';
import { opsErrorText } from '../errors.ts';
import { BroadcastComposer } from './BroadcastComposer.tsx';
import { BroadcastHistory } from './BroadcastHistory.tsx';
import './opsaccount-admin.css';

/** While a broadcast is running, its progress is refreshed this often. */
const POLL_MS = 1500;

/** /admin/broadcast: send as the operations account and follow the deliveries. */
export default function BroadcastAdmin() {
  const { t } = useTranslation('opsaccount');
  const { message } = AntApp.useApp();
  const [broadcasts, setBroadcasts] = useState<Broadcast[]>([]);
  const [loading, setLoading] = useState(true);

  const load = useCallback(async () => {
    try {
      setBroadcasts((await client.opsAccount.broadcasts({ limit: 50 })).broadcasts);
    } catch (err) {
      void message.error(opsErrorText(t, err));
    } finally {
      setLoading(false);
    }
  }, [message, t]);

  useEffect(() => {
    void load();
  }, [load]);

  const running = broadcasts.some((b) => b.status === 'running');
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => void load(), POLL_MS);
    return () => clearInterval(timer);
  }, [running, load]);

  return (
    <div className="zx-ops-admin" data-testid="admin-broadcast">
      <Typography.Title level={3}>{t('broadcast.title')}</Typography.Title>
      <BroadcastComposer onSent={() => void load()} />
      <div className="zx-ops-history-head">
        <Typography.Title level={5}>{t('broadcast.history')}</Typography.Title>
        <Button size="small" data-testid="admin-broadcast-refresh" onClick={() => void load()}>
          {t('broadcast.refresh')}
        </Button>
      </div>
      <BroadcastHistory broadcasts={broadcasts} loading={loading} />
    </div>
  );
}
