import type { FeedbackItem, Message } from '@zhixin/sdk';
import { App as AntApp, Button, Input } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { client } from '../../../app/client.ts';
import { MAX_TEXT_BYTES, opsErrorText, utf8Bytes } from '../errors.ts';
import { messageText } from './messageText.ts';

interface Props {
  item: FeedbackItem;
  /** Bumped when the conversation changed (new feedback or another operator's reply). */
  version: number;
  onReplied: (item: FeedbackItem) => void;
}

/** One user's chat with the operations account, oldest at the top, and the reply box. */
export function FeedbackThread({ item, version, onReplied }: Props) {
  const { t, i18n } = useTranslation('opsaccount');
  const { message } = AntApp.useApp();
  const [messages, setMessages] = useState<Message[]>([]);
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const bottom = useRef<HTMLDivElement>(null);
  const userId = item.userId;

  useEffect(() => {
    let live = true;
    client.opsAccount
      .thread(userId, { limit: 100 })
      .then((page) => {
        if (live) setMessages([...page.messages].sort((a, b) => a.seq - b.seq));
      })
      .catch((err: unknown) => void message.error(opsErrorText(t, err)));
    return () => {
      live = false;
    };
  }, [userId, version, message, t]);

  useEffect(() => {
    bottom.current?.scrollIntoView({ block: 'end' });
  }, [messages]);

  const reply = async () => {
    const clean = text.trim();
    if (!clean) return;
    setBusy(true);
    try {
      const updated = await client.opsAccount.reply(userId, clean);
      setText('');
      onReplied(updated);
      const page = await client.opsAccount.thread(userId, { limit: 100 });
      setMessages([...page.messages].sort((a, b) => a.seq - b.seq));
    } catch (err) {
      void message.error(opsErrorText(t, err));
    } finally {
      setBusy(false);
    }
  };

  const tooLong = utf8Bytes(text.trim()) > MAX_TEXT_BYTES;
  return (
    <section className="zx-ops-thread" data-testid="admin-feedback-thread" data-user-id={userId}>
      <div className="zx-ops-thread-head">{item.profile.nickname}</div>
      <div className="zx-ops-thread-messages">
        {messages.map((m) => (
          <div
            key={m.seq}
            className={m.senderId === userId ? 'zx-ops-bubble' : 'zx-ops-bubble zx-ops-bubble-ops'}
            data-testid="admin-feedback-message"
            data-from-user={m.senderId === userId ? 'true' : 'false'}
          >
            {messageText(m)}
            <span className="zx-ops-bubble-time">{new Date(m.createdAt).toLocaleString(i18n.language)}</span>
          </div>
        ))}
        <div ref={bottom} />
      </div>
      <div className="zx-ops-thread-reply">
        <Input.TextArea
          data-testid="feedback-reply-input"
          aria-label={t('feedback.replyPlaceholder')}
          placeholder={t('feedback.replyPlaceholder')}
          value={text}
          onChange={(e) => setText(e.target.value)}
          autoSize={{ minRows: 1, maxRows: 5 }}
          status={tooLong ? 'error' : undefined}
          onPressEnter={(e) => {
            if (!e.shiftKey) {
              e.preventDefault();
              void reply();
            }
          }}
        />
        <Button
          type="primary"
          data-testid="feedback-reply-send"
          loading={busy}
          disabled={!text.trim() || tooLong}
          onClick={() => void reply()}
        >
          {t('feedback.send')}
        </Button>
      </div>
    </section>
  );
}
