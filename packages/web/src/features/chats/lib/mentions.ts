/**
 * @mentions in the composer and in message text. Pure: the composer keeps which members were
 * picked; these functions find the query being typed, insert a pick, and tell which picks remain.
 */

/** A member picked in the mention picker (`userId` 'all' for everyone). */
export interface MentionPick {
  userId: string;
  name: string;
}

const MAX_QUERY = 20;

/**
 * The mention being typed at the caret: the text after the nearest '@' before it, if that text has
 * no whitespace (typing a space ends the mention).
 */
export function mentionQueryAt(text: string, caret: number): { start: number; query: string } | null {
  const before = text.slice(0, caret);
  const at = before.lastIndexOf('@');
  if (at < 0) return null;
  const query = before.slice(at + 1);
  if (query.length > MAX_QUERY || /\s/.test(query)) return null;
  return { start: at, query };
}

/** Replace the typed `@query` with `@name ` and put the caret after it. */
export function insertMention(
  text: string,
  start: number,
  caret: number,
  name: string,
): { text: string; caret: number } {
  const inserted = `@${name} `;
  return { text: text.slice(0, start) + inserted + text.slice(caret), caret: start + inserted.length };
}

/** The user ids to send as mentions: picks whose `@name` is still in the text (deduplicated). */
export function collectMentions(text: string, picks: readonly MentionPick[]): string[] {
  const ids = new Set<string>();
  for (const p of picks) if (text.includes(`@${p.name}`)) ids.add(p.userId);
  return [...ids];
}

/** Whether a member matches what was typed after '@' (name, case-insensitive; empty matches all). */
export function matchesQuery(name: string, query: string): boolean {
  return query === '' || name.toLowerCase().includes(query.toLowerCase());
}

export type Segment =
  | { kind: 'text'; text: string }
  | { kind: 'mention'; text: string }
  | { kind: 'link'; text: string; href: string };

const LINK = /(https?:\/\/[^\s<>"'，。！？、；：）】]+|www\.[^\s<>"'，。！？、；：）】]+)/g;

function splitLinks(text: string): Segment[] {
  const out: Segment[] = [];
  let last = 0;
  for (const match of text.matchAll(LINK)) {
    const index = match.index;
    let url = match[0];
    // A sentence's closing punctuation is not part of the link.
    const trailing = /[.,;:!?)\]]+$/.exec(url)?.[0] ?? '';
    url = url.slice(0, url.length - trailing.length);
    if (index > last) out.push({ kind: 'text', text: text.slice(last, index) });
    out.push({ kind: 'link', text: url, href: url.startsWith('www.') ? `https://${url}` : url });
    last = index + url.length;
  }
  if (last < text.length) out.push({ kind: 'text', text: text.slice(last) });
  return out;
}

/**
 * Split a message's text for display: `@name` of the given names highlighted (longest name first,
 * so "@张三丰" wins over "@张三"), links made clickable.
 */
export function segmentText(text: string, mentionNames: readonly string[]): Segment[] {
  const names = [...new Set(mentionNames.filter((n) => n.length > 0))].sort((a, b) => b.length - a.length);
  const out: Segment[] = [];
  let plain = '';
  const flush = () => {
    if (plain) out.push(...splitLinks(plain));
    plain = '';
  };
  for (let i = 0; i < text.length;) {
    if (text[i] === '@') {
      const name = names.find((n) => text.startsWith(n, i + 1));
      if (name) {
        flush();
        out.push({ kind: 'mention', text: `@${name}` });
        i += name.length + 1;
        continue;
      }
    }
    plain += text[i];
    i++;
  }
  flush();
  return out;
}
