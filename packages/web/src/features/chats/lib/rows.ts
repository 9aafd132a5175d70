import type { TimelineEntry } from '../../../data/message-window.ts';
import { sameDay } from './time.ts';

/** Messages more than this far apart get a time between them. */
export const TIME_GAP_MS = 5 * 60_000;

export type Row =
  | { type: 'time'; key: string; at: number }
  | { type: 'divider'; key: string }
  | { type: 'entry'; key: string; entry: TimelineEntry };

function timeOf(e: TimelineEntry): number {
  return e.kind === 'message' ? e.message.createdAt : e.pending.createdAt;
}

/**
 * The rows of the message list: a time before the first message, at each new day and after each
 * pause of more than five minutes; the "new messages" divider before the first unread message
 * (a message from someone else after `readSeq`, as it was when the chat was opened).
 */
export function buildRows(
  entries: readonly TimelineEntry[],
  options: { unreadAfterSeq: number | null; myId: string },
): Row[] {
  const rows: Row[] = [];
  let previous: number | null = null;
  let dividerPlaced = options.unreadAfterSeq === null;
  for (const entry of entries) {
    const at = timeOf(entry);
    if (previous === null || !sameDay(previous, at) || at - previous > TIME_GAP_MS)
      rows.push({ type: 'time', key: `t${entry.key}`, at });
    if (
      !dividerPlaced &&
      entry.kind === 'message' &&
      entry.message.seq > (options.unreadAfterSeq ?? 0) &&
      entry.message.senderId !== options.myId
    ) {
      rows.push({ type: 'divider', key: 'divider' });
      dividerPlaced = true;
    }
    rows.push({ type: 'entry', key: entry.key, entry });
    previous = at;
  }
  return rows;
}
