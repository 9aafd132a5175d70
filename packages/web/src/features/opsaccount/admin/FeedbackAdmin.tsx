import type { FeedbackItem, FeedbackStatus } from '@zhixin/sdk';
import { App as AntApp, Typography } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { client } from '../../../app/client.ts';
import { opsErrorText } from '../errors.ts';
import { FeedbackInbox } from './FeedbackInbox.tsx';
import { FeedbackThread } from './FeedbackThread.tsx';
import './opsaccount-admin.css';

const PAGE = 30;

/** /admin/feedback: what users wrote to the operations account, and the operators' answers. */
export default function FeedbackAdmin() {
  const { t } = useTranslation('opsaccount');
  const { message } = AntApp.useApp();
  const [status, setStatus] = useState<FeedbackStatus>('open');
  const [items, setItems] = useState<FeedbackItem[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [selected, setSelected] = useState<FeedbackItem | null>(null);
  const [version, setVersion] = useState(0);
  const selectedId = useRef<string | null>(null);
  selectedId.current = selected?.userId ?? null;

  const load = useCallback(
    async (after?: string) => {
      try {
        const page = await client.opsAccount.feedback({
          status,
          limit: PAGE,
          ...(after ? { cursor: after } : {}),
        });
        setItems((prev) => (after ? [...prev, ...page.items] : page.items));
        setCursor(page.nextCursor);
      } catch (err) {
        void message.error(opsErrorText(t, err));
      }
    },
    [status, message, t],
  );

  useEffect(() => {
    void load();
  }, [load]);

  // New feedback (or another operator's reply) reaches every administrator's devices.
  useEffect(
    () =>
      client.on('ops.feedback', (item) => {
        void load();
        if (item.userId !== selectedId.current) return;
        setSelected(item);
        setVersion((v) => v + 1);
      }),
    [load],
  );

  const replied = (item: FeedbackItem) => {
    setSelected(item);
    void load();
  };

  return (
    <div data-testid="admin-feedback">
      <Typography.Title level={3}>{t('feedback.title')}</Typography.Title>
      <div className="zx-ops-feedback">
        <FeedbackInbox
          status={status}
          onStatus={(s) => {
            setStatus(s);
            setSelected(null);
          }}
          items={items}
          selected={selected?.userId ?? null}
          onSelect={(userId) => setSelected(items.find((i) => i.userId === userId) ?? null)}
          hasMore={cursor !== null}
          onMore={() => void load(cursor ?? undefined)}
        />
        {selected ? (
          <FeedbackThread item={selected} version={version} onReplied={replied} />
        ) : (
          <p className="zx-ops-empty">{t('feedback.pick')}</p>
        )}
      </div>
    </div>
  );
}
