import type { Message } from '@zhixin/sdk';

interface Props {
  reactions: Message['reactions'];
  myId: string;
  onToggle: (emoji: string) => void;
}

/** Emoji reactions under a message: count per emoji, mine highlighted; a click toggles mine. */
export function ReactionsRow({ reactions, myId, onToggle }: Props) {
  const shown = reactions.filter((r) => r.userIds.length > 0);
  if (shown.length === 0) return null;
  return (
    <div className="zx-reactions" data-testid="message-reactions">
      {shown.map((r) => {
        const mine = r.userIds.includes(myId);
        return (
          <button
            key={r.emoji}
            type="button"
            className={mine ? 'zx-reaction zx-reaction-mine' : 'zx-reaction'}
            aria-pressed={mine}
            onClick={() => onToggle(r.emoji)}
          >
            <span>{r.emoji}</span>
            <span className="zx-reaction-count">{r.userIds.length}</span>
          </button>
        );
      })}
    </div>
  );
}
