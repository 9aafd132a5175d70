import { Button, Input } from 'antd';
import { MOMENT_COMMENT_MAX, type MomentComment } from '@zhixin/protocol';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useFeedback } from '../../chats/hooks.ts';
import { saveDraft } from '../drafts.ts';
import { useMomentsErrorText } from '../errors.ts';
import { sendComment } from '../post-actions.ts';
import { useRestoredDraft } from '../useRestoredDraft.ts';

interface Props {
  postId: string;
  /** Whether the reader asked to comment (the box also shows while a draft exists). */
  open: boolean;
  /** The comment being replied to (null: a comment on the post). */
  replyTo: MomentComment | null;
  onReplyTo: (c: MomentComment | null) => void;
  onClose: () => void;
}

/** The comment input of a post, with its draft kept on every keystroke and restored (R-W5). */
export function CommentBox({ postId, open, replyTo, onReplyTo, onClose }: Props) {
  const { t } = useTranslation('moments');
  const feedback = useFeedback();
  const errorText = useMomentsErrorText();
  const restored = useRestoredDraft('comment', postId);
  const [text, setText] = useState(() => restored.draft?.content.text ?? '');
  const [sending, setSending] = useState(false);
  const replyId = useRef<string | null>(restored.draft?.content.replyToCommentId ?? null);

  useEffect(() => {
    if (restored.draft) {
      setText(restored.draft.content.text);
      replyId.current = restored.draft.content.replyToCommentId ?? null;
    }
  }, [restored.generation]); // a newly restored draft replaces the text

  useEffect(() => {
    if (replyTo) replyId.current = replyTo.id;
  }, [replyTo]);

  const change = (value: string) => {
    setText(value);
    const reply = replyTo?.id ?? replyId.current;
    saveDraft('comment', postId, { text: value, ...(reply ? { replyToCommentId: reply } : {}) });
  };
  const send = () => {
    const body = text.trim();
    if (!body) return;
    setSending(true);
    sendComment(postId, body, replyTo?.id ?? replyId.current)
      .then(() => {
        setText('');
        replyId.current = null;
        onReplyTo(null);
        onClose();
      })
      .catch((err: unknown) => feedback.error(errorText(err)))
      .finally(() => setSending(false));
  };

  if (!open && !text) return null;
  const placeholder = replyTo
    ? t('comments.replyTo', { name: replyTo.author.nickname })
    : t('comments.placeholder');
  return (
    <div className="zx-mo-comment-box" data-testid="comment-box">
      <Input
        value={text}
        onChange={(e) => change(e.target.value)}
        onPressEnter={send}
        placeholder={placeholder}
        maxLength={MOMENT_COMMENT_MAX}
        autoFocus={open}
        data-testid="comment-input"
      />
      <Button
        type="primary"
        loading={sending}
        disabled={!text.trim()}
        onClick={send}
        data-testid="comment-send"
      >
        {t('comments.send')}
      </Button>
    </div>
  );
}
