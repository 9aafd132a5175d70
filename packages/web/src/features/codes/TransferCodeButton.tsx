import { QrcodeOutlined } from '@ant-design/icons';
import type { Conversation, TransferCode } from '@zhixin/sdk';
import { Button, Input, Segmented } from 'antd';
import { Button as MobileButton, Selector, TextArea } from 'antd-mobile';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { client } from '../../app/client.ts';
import { useLayoutKind } from '../../app/layout.ts';
import { usePreferences } from '../../app/preferences.ts';
import { QrCode } from '../../components/QrCode.tsx';
import { FormNotice } from '../auth/fields.tsx';
import { CodeDialog } from './CodeDialog.tsx';
import { formatMoment, useCodeErrorText } from './useCodeErrorText.ts';

const MESSAGE_MAX = 500;
const DAY_MS = 24 * 3_600_000;
const VALIDITIES = [DAY_MS, 7 * DAY_MS, 0] as const;

/** Who a scanner of this chat's code should reach: the peer of a direct chat, else the chat itself. */
function targetOf(c: Conversation, myId: string): { targetUserId: string } | { conversationId: string } {
  if (c.kind === 'direct') return { targetUserId: c.peerId ?? myId };
  return { conversationId: c.id };
}

/** The form and the resulting QR code of a directed transfer. */
function TransferCodePanel({ conversation, myId }: { conversation: Conversation; myId: string }) {
  const { t } = useTranslation('codes');
  const layout = useLayoutKind();
  const language = usePreferences((p) => p.language);
  const errorText = useCodeErrorText();
  const [message, setMessage] = useState('');
  const [validity, setValidity] = useState<number>(7 * DAY_MS);
  const [code, setCode] = useState<TransferCode | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const create = async () => {
    setBusy(true);
    setError(null);
    try {
      setCode(
        await client.codes.createTransfer({
          ...targetOf(conversation, myId),
          message,
          ...(validity ? { expiresInMs: validity } : {}),
        }),
      );
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  const label = (ms: number) =>
    ms === DAY_MS ? t('transfer.day1') : ms ? t('transfer.days7') : t('transfer.forever');
  const options = VALIDITIES.map((v) => ({ label: label(v), value: v }));
  const createLabel = code ? t('transfer.again') : t('transfer.create');

  return (
    <>
      <p className="zx-code-hint">{t('transfer.hint')}</p>
      {code && (
        <>
          <QrCode text={code.code} size={200} testId="transfer-code-qr" label={t('transfer.title')} />
          <p className="zx-code-meta">
            {code.expiresAt === null
              ? t('transfer.never')
              : t('transfer.expiresAt', { time: formatMoment(code.expiresAt, language) })}
          </p>
        </>
      )}
      {layout === 'mobile' ? (
        <TextArea
          className="zx-code-textarea"
          placeholder={t('transfer.messagePlaceholder')}
          value={message}
          onChange={setMessage}
          maxLength={MESSAGE_MAX}
          showCount
          rows={3}
          data-testid="transfer-code-message"
        />
      ) : (
        <Input.TextArea
          className="zx-code-textarea"
          aria-label={t('transfer.message')}
          placeholder={t('transfer.messagePlaceholder')}
          value={message}
          onChange={(e) => setMessage(e.target.value)}
          maxLength={MESSAGE_MAX}
          showCount
          rows={3}
          data-testid="transfer-code-message"
        />
      )}
      <div className="zx-code-row">
        <span className="zx-code-meta">{t('transfer.validity')}</span>
        {layout === 'mobile' ? (
          <Selector
            options={options}
            value={[validity]}
            onChange={(v) => v[0] !== undefined && setValidity(v[0])}
          />
        ) : (
          <Segmented options={options} value={validity} onChange={setValidity} />
        )}
      </div>
      {error && <FormNotice type="error">{error}</FormNotice>}
      {layout === 'mobile' ? (
        <MobileButton
          block
          color="primary"
          loading={busy}
          onClick={() => void create()}
          data-testid="transfer-code-create"
        >
          {createLabel}
        </MobileButton>
      ) : (
        <Button
          type="primary"
          loading={busy}
          onClick={() => void create()}
          data-testid="transfer-code-create"
        >
          {createLabel}
        </Button>
      )}
    </>
  );
}

/** The chat header's "生成定向二维码" button and its dialog. */
export function TransferCodeButton({ conversation, myId }: { conversation: Conversation; myId: string }) {
  const { t } = useTranslation('codes');
  const [open, setOpen] = useState(false);
  return (
    <>
      <button
        type="button"
        className="zx-icon-button"
        data-testid="transfer-code-entry"
        aria-label={t('transfer.entry')}
        title={t('transfer.entry')}
        onClick={() => setOpen(true)}
      >
        <QrcodeOutlined />
      </button>
      <CodeDialog open={open} title={t('transfer.title')} onClose={() => setOpen(false)}>
        {open && <TransferCodePanel conversation={conversation} myId={myId} />}
      </CodeDialog>
    </>
  );
}
