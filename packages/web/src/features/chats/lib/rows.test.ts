import { describe, expect, it } from 'vitest';
import { timelineOf, EMPTY_WINDOW } from '../../../data/message-window.ts';
import { buildMessage, ME } from '../../../data/test-fixtures.ts';
import { buildRows } from './rows.ts';

const minute = 60_000;
const base = new Date(2025, 5, 15, 9, 0).getTime();

function rowsOf(specs: [seq: number, minutes: number, sender?: string][], unreadAfterSeq: number | null) {
  const messages = specs.map(([seq, minutes, sender]) =>
    buildMessage({
      conversationId: 'c',
      seq,
      createdAt: base + minutes * minute,
      senderId: sender ?? 'u_peer',
    }),
  );
  const entries = timelineOf({ ...EMPTY_WINDOW, messages, loaded: true });
  return buildRows(entries, { unreadAfterSeq, myId: ME }).map((r) => (r.type === 'entry' ? r.key : r.type));
}

describe('buildRows', () => {
  it('puts a time before the first message and after pauses over five minutes', () => {
    expect(
      rowsOf(
        [
          [1, 0],
          [2, 4],
          [3, 9],
          [4, 15],
        ],
        null,
      ),
    ).toEqual(['time', 's1', 's2', 's3', 'time', 's4']);
  });

  it('puts a time at a new day even after a short pause', () => {
    const lateNight = (24 * 60 - 9 * 60 - 2) as number; // 23:58 on the first day
    expect(
      rowsOf(
        [
          [1, lateNight],
          [2, lateNight + 3],
        ],
        null,
      ),
    ).toEqual(['time', 's1', 'time', 's2']);
  });

  it('places the new-messages divider before the first unread message from someone else', () => {
    expect(
      rowsOf(
        [
          [1, 0],
          [2, 1, ME],
          [3, 2],
          [4, 3],
        ],
        1,
      ),
    ).toEqual(['time', 's1', 's2', 'divider', 's3', 's4']);
  });

  it('has no divider when nothing was unread', () => {
    expect(
      rowsOf(
        [
          [1, 0],
          [2, 1],
        ],
        null,
      ),
    ).not.toContain('divider');
    expect(
      rowsOf(
        [
          [1, 0],
          [2, 1],
        ],
        2,
      ),
    ).not.toContain('divider');
  });
});
