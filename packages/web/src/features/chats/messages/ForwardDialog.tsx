import type { Conversation, Message } from '@zhixin/sdk';
import { Button, Input } from 'antd';
import { Button as MobileButton, SearchBar } from 'antd-mobile';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSortedConversations } from '../../../data/conversations.ts';
import { forwardMessage } from '../../../data/send.ts';
import { ConversationAvatar } from '../ConversationAvatar.tsx';
import { useConversationTitle, useFeedback } from '../hooks.ts';
import { Sheet } from '../Sheet.tsx';

function Target({
  conversation,
  checked,
  onToggle,
  query,
}: {
  conversation: Conversation;
  checked: boolean;
  onToggle: (id: string) => void;
  query: string;
}) {
  const title = useConversationTitle(conversation);
  if (query && !title.toLowerCase().includes(query)) return null;
  return (
    <li
      className={checked ? 'zx-forward-target zx-forward-target-on' : 'zx-forward-target'}
      data-testid="forward-target"
      data-conversation-id={conversation.id}
      onClick={() => onToggle(conversation.id)}
      role="checkbox"
      aria-checked={checked}
    >
      <input type="checkbox" className="zx-check" checked={checked} readOnly tabIndex={-1} />
      <ConversationAvatar conversation={conversation} size={32} />
      <span className="zx-person-name">{title}</span>
    </li>
  );
}

/** Forward a message to one or more conversations, chosen from a searchable list. */
export function ForwardDialog({
  message,
  layout,
  onClose,
}: {
  message: Message | null;
  layout: 'desktop' | 'mobile';
  onClose: () => void;
}) {
  const { t } = useTranslation('chats');
  const feedback = useFeedback();
  const conversations = useSortedConversations();
  const [query, setQuery] = useState('');
  const [selected, setSelected] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const targets = useMemo(
    () => conversations.filter((c) => c.kind !== 'channel' && c.kind !== 'system'),
    [conversations],
  );

  const close = () => {
    setSelected([]);
    setQuery('');
    onClose();
  };
  const toggle = (id: string) =>
    setSelected((s) => (s.includes(id) ? s.filter((x) => x !== id) : [...s, id]));
  const confirm = async () => {
    if (!message || selected.length === 0) return;
    setBusy(true);
    const failed = await forwardMessage(message, selected);
    setBusy(false);
    if (failed.length > 0) feedback.error(t('forward.failed', { count: failed.length }));
    else feedback.success(t('forward.done'));
    close();
  };
  const confirmLabel =
    selected.length > 0 ? `${t('forward.confirm')} (${selected.length})` : t('forward.confirm');
  const footer =
    layout === 'desktop' ? (
      <Button
        type="primary"
        data-testid="forward-confirm"
        disabled={selected.length === 0}
        loading={busy}
        onClick={() => void confirm()}
      >
        {confirmLabel}
      </Button>
    ) : (
      <MobileButton
        size="mini"
        color="primary"
        data-testid="forward-confirm"
        disabled={selected.length === 0}
        loading={busy}
        onClick={() => void confirm()}
      >
        {confirmLabel}
      </MobileButton>
    );
  const needle = query.trim().toLowerCase();
  return (
    <Sheet
      layout={layout}
      open={message !== null}
      title={t('forward.title')}
      onClose={close}
      footer={footer}
      testId="forward-dialog"
      full
    >
      {layout === 'desktop' ? (
        <Input.Search
          allowClear
          placeholder={t('forward.search')}
          value={query}
          onChange={(e) => setQuery(e.target.value)}
        />
      ) : (
        <SearchBar placeholder={t('forward.search')} value={query} onChange={setQuery} />
      )}
      {targets.length === 0 ? (
        <div className="zx-muted-text">{t('forward.none')}</div>
      ) : (
        <ul className="zx-forward-list">
          {targets.map((c) => (
            <Target
              key={c.id}
              conversation={c}
              checked={selected.includes(c.id)}
              onToggle={toggle}
              query={needle}
            />
          ))}
        </ul>
      )}
    </Sheet>
  );
}
