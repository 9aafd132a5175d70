import type { Conversation } from '@zhixin/sdk';
import { AudioOutlined, PlusCircleOutlined, SmileOutlined } from '@ant-design/icons';
import { MAX_TEXT_BYTES } from '@zhixin/protocol';
import { Button, Popover } from 'antd';
import { Button as MobileButton } from 'antd-mobile';
import { useCallback, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { editMessage } from '../../../data/message-ops.ts';
import { sendText } from '../../../data/send.ts';
import { DesktopAttachTools } from '../../files/composer/AttachTools.tsx';
import { MobileAttachPanel } from '../../files/composer/MobileAttachPanel.tsx';
import { usePasteFiles } from '../../files/composer/useFileDrop.ts';
import { HoldToTalk } from '../../files/voice/HoldToTalk.tsx';
import { isSelfChat, useFeedback } from '../hooks.ts';
import { collectMentions, insertMention, mentionQueryAt, type MentionPick } from '../lib/mentions.ts';
import { ComposerBanner } from './ComposerBanner.tsx';
import { resetComposer, startEditing, replyTo as setReplyTo, useComposer } from './composer-store.ts';
import { EmojiGrid } from './EmojiGrid.tsx';
import { MentionPicker } from './MentionPicker.tsx';
import { useDraft } from './useDraft.ts';
import { useMentionCandidates, type Candidate } from './useMentionCandidates.ts';
import { useTypingSignal } from './useTypingSignal.ts';

interface Props {
  conversation: Conversation;
  myId: string;
  layout: 'desktop' | 'mobile';
}

const bytes = (text: string) => new TextEncoder().encode(text).length;

/** Writing a message: text with emoji and @mentions, reply and edit modes, drafts, typing. */
export function Composer({ conversation: c, myId, layout }: Props) {
  const { t } = useTranslation('chats');
  const feedback = useFeedback();
  const inputRef = useRef<HTMLTextAreaElement>(null);
  const [text, setText] = useState(() => c.me.draft?.text ?? '');
  const [picks, setPicks] = useState<MentionPick[]>([]);
  const [mention, setMention] = useState<{ start: number; query: string } | null>(null);
  const [active, setActive] = useState(0);
  const [emojiOpen, setEmojiOpen] = useState(false);
  const [attachOpen, setAttachOpen] = useState(false);
  const [voiceMode, setVoiceMode] = useState(false);
  const onPaste = usePasteFiles(c, myId);
  const { replyTo, editing, inject } = useComposer();
  const stash = useRef<string | null>(null);
  const commitDraft = useDraft(c, text, setText, editing !== null);
  const typing = useTypingSignal(c.id, !isSelfChat(c, myId));
  const candidates = useMentionCandidates(c, myId, mention?.query ?? null);

  useEffect(() => {
    resetComposer(c.id);
    return () => resetComposer(null);
  }, [c.id]);

  // Edit mode puts the message's text in the box; leaving it brings back what was there.
  useEffect(() => {
    if (editing?.content?.kind === 'text') {
      stash.current ??= text;
      setText(editing.content.text);
    } else if (stash.current !== null) {
      setText(stash.current);
      stash.current = null;
    }
    if (editing || replyTo) inputRef.current?.focus();
    // Only a change of mode matters here, not every keystroke (text is read, not watched).
  }, [editing, replyTo]);

  useEffect(() => {
    if (!inject) return;
    setText(inject.text);
    inputRef.current?.focus();
  }, [inject]);

  // Grow with the text up to a few lines.
  useEffect(() => {
    const el = inputRef.current;
    if (!el) return;
    el.style.height = 'auto';
    el.style.height = `${Math.min(el.scrollHeight, layout === 'desktop' ? 160 : 120)}px`;
  }, [text, layout]);

  const change = useCallback(
    (next: string, caret: number) => {
      setText(next);
      typing.typed(next);
      const q = c.kind === 'group' ? mentionQueryAt(next, caret) : null;
      setMention(q);
      setActive(0);
    },
    [c.kind, typing],
  );

  const pick = (candidate: Candidate) => {
    const el = inputRef.current;
    if (!mention || !el) return;
    const next = insertMention(text, mention.start, el.selectionStart, candidate.name);
    setText(next.text);
    setPicks((p) => [...p, { userId: candidate.userId, name: candidate.name }]);
    setMention(null);
    requestAnimationFrame(() => el.setSelectionRange(next.caret, next.caret));
  };

  const insertEmoji = (emoji: string) => {
    const el = inputRef.current;
    const at = el ? el.selectionStart : text.length;
    const end = el ? el.selectionEnd : text.length;
    const next = text.slice(0, at) + emoji + text.slice(end);
    setText(next);
    typing.typed(next);
    requestAnimationFrame(() => {
      el?.focus();
      el?.setSelectionRange(at + emoji.length, at + emoji.length);
    });
  };

  const cancelMode = () => (editing ? startEditing(null) : setReplyTo(null));

  const send = () => {
    const body = text.trim();
    if (!body) return;
    if (bytes(body) > MAX_TEXT_BYTES) return feedback.error(t('composer.tooLong'));
    const mentions = collectMentions(body, picks);
    typing.stop();
    setMention(null);
    setPicks([]);
    if (editing) {
      const target = editing;
      stash.current = '';
      startEditing(null);
      editMessage(target, body, mentions).catch(() => feedback.error(t('actionFailed')));
      return;
    }
    setText('');
    commitDraft('');
    setReplyTo(null);
    void sendText(c.id, { text: body, mentions, replyTo });
    inputRef.current?.focus();
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.nativeEvent.isComposing) return;
    if (mention && candidates.length > 0) {
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        const step = e.key === 'ArrowDown' ? 1 : -1;
        return setActive((i) => (i + step + candidates.length) % candidates.length);
      }
      if (e.key === 'Enter' || e.key === 'Tab') {
        e.preventDefault();
        const chosen = candidates[active];
        if (chosen) pick(chosen);
        return;
      }
    }
    if (e.key === 'Escape') {
      if (mention) return setMention(null);
      if (editing || replyTo) return cancelMode();
    }
    if (e.key === 'Enter' && !e.shiftKey && layout === 'desktop') {
      e.preventDefault();
      send();
    }
  };

  const textarea = (
    <textarea
      ref={inputRef}
      className="zx-composer-input"
      data-testid="composer-input"
      rows={1}
      value={text}
      placeholder={layout === 'desktop' ? t('composer.desktopPlaceholder') : t('composer.placeholder')}
      onChange={(e) => change(e.target.value, e.target.selectionStart)}
      onKeyDown={onKeyDown}
      onPaste={onPaste}
      onBlur={() => setMention(null)}
      onFocus={() => {
        if (layout !== 'mobile') return;
        setEmojiOpen(false);
        setAttachOpen(false);
      }}
    />
  );
  const picker = mention && c.kind === 'group' && (
    <MentionPicker candidates={candidates} active={active} onPick={pick} />
  );
  const banner = <ComposerBanner replyTo={replyTo} editing={editing} onCancel={cancelMode} />;

  if (layout === 'desktop') {
    return (
      <div className="zx-composer zx-composer-desktop">
        {picker}
        {banner}
        <div className="zx-composer-tools">
          <Popover
            trigger="click"
            placement="topLeft"
            open={emojiOpen}
            onOpenChange={setEmojiOpen}
            content={<EmojiGrid onPick={insertEmoji} />}
          >
            <button
              type="button"
              className="zx-icon-button"
              data-testid="composer-emoji"
              aria-label={t('composer.emoji')}
            >
              <SmileOutlined />
            </button>
          </Popover>
          <DesktopAttachTools conversation={c} myId={myId} />
        </div>
        {textarea}
        <div className="zx-composer-actions">
          <Button type="primary" data-testid="composer-send" disabled={!text.trim()} onClick={send}>
            {t('composer.send')}
          </Button>
        </div>
      </div>
    );
  }
  return (
    <div className="zx-composer zx-composer-mobile">
      {picker}
      {banner}
      <div className="zx-composer-row">
        <button
          type="button"
          className="zx-icon-button zx-composer-emoji"
          data-testid="composer-voice-mode"
          aria-label={t('composer.voice')}
          onClick={() => {
            setAttachOpen(false);
            setEmojiOpen(false);
            setVoiceMode((v) => !v);
          }}
        >
          <AudioOutlined />
        </button>
        {voiceMode ? <HoldToTalk conversation={c} myId={myId} /> : textarea}
        <button
          type="button"
          className="zx-icon-button zx-composer-emoji"
          data-testid="composer-emoji"
          aria-label={t('composer.emoji')}
          onClick={() => setEmojiOpen((o) => !o)}
        >
          <SmileOutlined />
        </button>
        {text.trim() && !voiceMode ? (
          <MobileButton size="small" color="primary" data-testid="composer-send" onClick={send}>
            {t('composer.send')}
          </MobileButton>
        ) : (
          <button
            type="button"
            className="zx-icon-button zx-composer-emoji"
            data-testid="composer-attach"
            aria-label={t('composer.attach')}
            onClick={() => {
              setEmojiOpen(false);
              setAttachOpen((o) => !o);
            }}
          >
            <PlusCircleOutlined />
          </button>
        )}
      </div>
      {attachOpen && <MobileAttachPanel conversation={c} myId={myId} onPicked={() => setAttachOpen(false)} />}
      {emojiOpen && (
        <div className="zx-composer-emoji-panel">
          <EmojiGrid onPick={insertEmoji} />
        </div>
      )}
    </div>
  );
}
