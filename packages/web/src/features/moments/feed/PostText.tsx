import { linkify } from './linkify.ts';

/** Post text with its web links clickable (opened in a new tab, no referrer). */
export function PostText({ text }: { text: string }) {
  if (!text) return null;
  return (
    <div className="zx-mo-text" data-testid="post-text">
      {linkify(text).map((part, i) =>
        part.kind === 'link' ? (
          <a key={i} href={part.href} target="_blank" rel="noopener noreferrer">
            {part.text}
          </a>
        ) : (
          <span key={i}>{part.text}</span>
        ),
      )}
    </div>
  );
}
