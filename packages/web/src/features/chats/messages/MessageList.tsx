import type { Conversation } from '@zhixin/sdk';
import { DownOutlined, UpOutlined } from '@ant-design/icons';
import { Spin } from 'antd';
import { useCallback, useEffect, useLayoutEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { setOpenChat, useChatState } from '../../../data/chat-state.ts';
import { timelineOf } from '../../../data/message-window.ts';
import { markReadUpTo } from '../../../data/message-ops.ts';
import { getWindow, useWindow } from '../../../data/messages.ts';
import { loadOlder } from '../../../data/window-loader.ts';
import { FilesOverlays } from '../../files/FilesOverlays.tsx';
import { ChatUploads } from '../../files/uploads/ChatUploads.tsx';
import { EmojiGrid } from '../composer/EmojiGrid.tsx';
import { isSelfChat, useNowMinute, useTimeLanguage } from '../hooks.ts';
import { buildRows } from '../lib/rows.ts';
import { formatTime } from '../lib/time.ts';
import { Sheet } from '../Sheet.tsx';
import { ForwardDialog } from './ForwardDialog.tsx';
import { MessageItem } from './MessageItem.tsx';
import { ReadersDialog } from './ReadersDialog.tsx';
import { readInfoOf } from './read-info.ts';
import { useChatScroll } from './useChatScroll.ts';
import { useMessageActions } from './useMessageActions.ts';
import { usePageVisible } from './usePageVisible.ts';

/** Pages loaded at most when jumping to the first unread message. */
const MAX_JUMP_PAGES = 20;

interface Props {
  conversation: Conversation;
  myId: string;
  layout: 'desktop' | 'mobile';
}

/** The messages of a chat: history on scroll, dividers, receipts, and the read position. */
export function MessageList({ conversation: c, myId, layout }: Props) {
  const { t } = useTranslation('chats');
  const now = useNowMinute();
  const language = useTimeLanguage();
  const w = useWindow(c.id);
  const entries = useMemo(() => timelineOf(w), [w]);
  // What was unread when the chat opened: the divider and the jump button stay put while reading.
  const [unreadAtOpen] = useState(() =>
    c.unreadCount > 0 ? { afterSeq: c.me.readSeq, count: c.unreadCount } : null,
  );
  const [jumpDone, setJumpDone] = useState(false);
  const covers = (first: number | undefined, more: boolean) =>
    unreadAtOpen !== null && (!more || (first !== undefined && first <= unreadAtOpen.afterSeq + 1));
  const covered = covers(w.messages[0]?.seq, w.hasMoreBefore);
  const rows = useMemo(
    () =>
      buildRows(entries, { unreadAfterSeq: covered && unreadAtOpen ? unreadAtOpen.afterSeq : null, myId }),
    [entries, covered, unreadAtOpen, myId],
  );
  const older = useCallback(() => loadOlder(c.id), [c.id]);
  const scroll = useChatScroll({ entries, hasMoreBefore: w.hasMoreBefore, loadOlder: older, myId });
  const { atBottom } = scroll;
  const visible = usePageVisible();
  const members = useChatState((s) => s.members[c.id]);
  const selfChat = isSelfChat(c, myId);
  const readInfo = useMemo(
    () => (selfChat ? null : readInfoOf(c.kind, members, myId)),
    [selfChat, c.kind, members, myId],
  );
  const actions = useMessageActions(myId);

  useEffect(() => {
    setOpenChat({ conversationId: c.id, atBottom });
  }, [c.id, atBottom]);
  useEffect(() => () => setOpenChat(null), []);

  // Read up to the newest message once it is in view (debounced: a burst is one request).
  const lastSeq = w.messages[w.messages.length - 1]?.seq ?? 0;
  useEffect(() => {
    if (!atBottom || !visible || lastSeq <= c.me.readSeq) return;
    const timer = setTimeout(() => void markReadUpTo(c.id, lastSeq).catch(() => undefined), 400);
    return () => clearTimeout(timer);
  }, [atBottom, visible, lastSeq, c.id, c.me.readSeq]);

  // The jump button shows while the first unread message is above the view (or not loaded yet).
  const [dividerAbove, setDividerAbove] = useState(true);
  const { scrollRef } = scroll;
  const measureDivider = useCallback(() => {
    const el = scrollRef.current;
    if (!el) return;
    const divider = el.querySelector<HTMLElement>('[data-testid="new-messages-divider"]');
    setDividerAbove(!divider || divider.offsetTop < el.scrollTop);
  }, [scrollRef]);
  useLayoutEffect(measureDivider, [rows, measureDivider]);
  const onScroll = () => {
    scroll.onScroll();
    measureDivider();
  };
  const showJump =
    unreadAtOpen !== null && !jumpDone && unreadAtOpen.count > 0 && dividerAbove && entries.length > 0;
  const jump = async () => {
    setJumpDone(true);
    for (let i = 0; i < MAX_JUMP_PAGES; i++) {
      const current = getWindow(c.id);
      if (covers(current.messages[0]?.seq, current.hasMoreBefore)) break;
      await loadOlder(c.id).catch(() => undefined);
    }
    requestAnimationFrame(() =>
      scroll.scrollRef.current
        ?.querySelector('[data-testid="new-messages-divider"]')
        ?.scrollIntoView({ block: 'start' }),
    );
  };

  return (
    <div className="zx-msg-list-wrap">
      <div className="zx-msg-list" data-testid="message-list" ref={scroll.scrollRef} onScroll={onScroll}>
        <div ref={scroll.contentRef} className="zx-msg-content">
          {scroll.olderLoading && (
            <div className="zx-center">
              <Spin size="small" />
            </div>
          )}
          {!w.loaded && entries.length === 0 ? (
            <div className="zx-center zx-muted-text">{t('loading')}</div>
          ) : (
            rows.map((row) => {
              if (row.type === 'time')
                return (
                  <div key={row.key} className="zx-time-sep">
                    {formatTime(row.at, now, language)}
                  </div>
                );
              if (row.type === 'divider')
                return (
                  <div key={row.key} className="zx-unread-divider" data-testid="new-messages-divider">
                    <span>{t('divider')}</span>
                  </div>
                );
              return (
                <MessageItem
                  key={row.key}
                  entry={row.entry}
                  conversation={c}
                  myId={myId}
                  readInfo={readInfo}
                  layout={layout}
                  onAction={actions.onAction}
                  onReact={actions.onReact}
                />
              );
            })
          )}
          <ChatUploads conversationId={c.id} myId={myId} />
        </div>
      </div>
      {showJump && (
        <button
          type="button"
          className="zx-pill zx-pill-top"
          data-testid="jump-unread"
          onClick={() => void jump()}
        >
          <UpOutlined /> {t('jumpUnread', { count: unreadAtOpen.count })}
        </button>
      )}
      {scroll.newBelow > 0 && !atBottom && (
        <button
          type="button"
          className="zx-pill zx-pill-bottom"
          data-testid="new-below"
          onClick={scroll.jumpToBottom}
        >
          <DownOutlined /> {t('newBelow', { count: scroll.newBelow })}
        </button>
      )}
      <FilesOverlays layout={layout} />
      <ForwardDialog message={actions.dialogs.forwarding} layout={layout} onClose={actions.close} />
      <ReadersDialog message={actions.dialogs.readersOf} layout={layout} onClose={actions.close} />
      <Sheet
        layout={layout}
        open={actions.dialogs.reactingTo !== null}
        title={t('actions.react')}
        onClose={actions.close}
        testId="reaction-picker"
      >
        <EmojiGrid
          onPick={(emoji) => actions.dialogs.reactingTo && actions.onReact(emoji, actions.dialogs.reactingTo)}
        />
      </Sheet>
    </div>
  );
}
