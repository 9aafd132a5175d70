import type { Message } from '@zhixin/sdk';
import { useDisplayName } from '../../../data/people.ts';

/** The quoted message inside a reply; clicking it scrolls to the original when it is loaded. */
export function ReplyQuote({ replyTo }: { replyTo: NonNullable<Message['replyTo']> }) {
  const name = useDisplayName(replyTo.senderId);
  const jump = () => {
    const target = document.querySelector<HTMLElement>(
      `[data-testid="message-item"][data-seq="${replyTo.seq}"]`,
    );
    if (!target) return;
    target.scrollIntoView({ block: 'center', behavior: 'smooth' });
    target.classList.add('zx-msg-flash');
    setTimeout(() => target.classList.remove('zx-msg-flash'), 1200);
  };
  return (
    <div
      className="zx-reply-quote"
      data-testid="message-reply-quote"
      onClick={jump}
      role="button"
      tabIndex={-1}
    >
      <span className="zx-reply-quote-name">{name}: </span>
      {replyTo.preview}
    </div>
  );
}
