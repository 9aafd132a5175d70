import type { Conversation, Message } from '@zhixin/sdk';
import { Dropdown } from 'antd';
import { Popover } from 'antd-mobile';
import { useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { QUICK_REACTIONS } from '../lib/emoji.ts';
import { actionsFor, type MessageAction } from './actions.ts';
import { useLongPress } from './useLongPress.ts';

interface Props {
  message: Message;
  conversation: Conversation;
  myId: string;
  layout: 'desktop' | 'mobile';
  onAction: (action: MessageAction, m: Message) => void;
  onReact: (emoji: string, m: Message) => void;
  children: ReactNode;
}

function QuickReactions({ onPick }: { onPick: (emoji: string) => void }) {
  return (
    <div className="zx-quick-reactions">
      {QUICK_REACTIONS.map((emoji) => (
        <button
          key={emoji}
          type="button"
          className="zx-quick-reaction"
          data-testid="reaction-option"
          onClick={() => onPick(emoji)}
        >
          {emoji}
        </button>
      ))}
    </div>
  );
}

/**
 * The actions of a message: a right-click menu on desktop, a long-press popover on mobile; quick
 * reactions on top (where I may react), then copy, reply, forward, edit, recall, react, readers.
 */
export function MessageMenu({ message, conversation, myId, layout, onAction, onReact, children }: Props) {
  const { t } = useTranslation('chats');
  const [open, setOpen] = useState(false);
  const actions = actionsFor(message, conversation, myId);
  const longPress = useLongPress(() => setOpen(true));

  useEffect(() => {
    if (!open || layout !== 'mobile') return;
    // The popover is controlled (a tap must not open it), so closing on an outside tap is ours.
    const close = (e: Event) => {
      if (!(e.target instanceof Element) || !e.target.closest('.zx-msg-popover')) setOpen(false);
    };
    document.addEventListener('pointerdown', close, true);
    return () => document.removeEventListener('pointerdown', close, true);
  }, [open, layout]);

  if (actions.length === 0) return <>{children}</>;
  // Reacting is a kind of posting: where the menu offers no "react", no quick reactions either.
  const reactions = actions.includes('react');
  const run = (action: MessageAction) => {
    setOpen(false);
    onAction(action, message);
  };
  const react = (emoji: string) => {
    setOpen(false);
    onReact(emoji, message);
  };

  if (layout === 'desktop') {
    return (
      <Dropdown
        trigger={['contextMenu']}
        open={open}
        onOpenChange={setOpen}
        destroyOnHidden
        menu={{
          // Items exist only while open: no stale hidden copies of the actions in the page.
          items: (open ? actions : []).map((a) => ({
            key: a,
            danger: a === 'recall',
            label: <span data-testid={`message-action-${a}`}>{t(`actions.${a}`)}</span>,
          })),
          onClick: ({ key }) => run(key as MessageAction),
        }}
        popupRender={(menu) => (
          <div className="zx-msg-menu" data-testid="message-actions">
            {reactions && <QuickReactions onPick={react} />}
            {menu}
          </div>
        )}
      >
        <div className="zx-bubble-wrap">{children}</div>
      </Dropdown>
    );
  }

  return (
    <Popover
      visible={open}
      placement="top"
      mode="dark"
      className="zx-msg-popover"
      content={
        <div data-testid="message-actions" className="zx-msg-popover-body">
          {reactions && <QuickReactions onPick={react} />}
          <div className="zx-msg-popover-actions">
            {actions.map((a) => (
              <button key={a} type="button" data-testid={`message-action-${a}`} onClick={() => run(a)}>
                {t(`actions.${a}`)}
              </button>
            ))}
          </div>
        </div>
      }
    >
      <div className="zx-bubble-wrap zx-no-callout" {...longPress}>
        {children}
      </div>
    </Popover>
  );
}
