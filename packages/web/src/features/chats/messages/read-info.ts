import type { Conversation, Member } from '@zhixin/sdk';

type Kind = Conversation['kind'];

/** What a read receipt of one of my messages needs: the peer's position, or all others'. */
export type ReadInfo =
  { kind: 'direct'; peerReadSeq: number } | { kind: 'group'; others: number; readSeqs: number[] };

/**
 * Read positions of the others in a conversation, ready for per-message receipts. None in an
 * announcement channel: its readers are nobody's business, not even the publisher's.
 */
export function readInfoOf(
  kind: Kind,
  members: readonly Member[] | undefined,
  myId: string,
): ReadInfo | null {
  if (!members || kind === 'channel') return null;
  const others = members.filter((m) => m.userId !== myId);
  if (kind === 'direct') {
    const peer = others[0];
    return peer ? { kind: 'direct', peerReadSeq: peer.readSeq } : null;
  }
  return {
    kind: 'group',
    others: others.length,
    readSeqs: others.map((m) => m.readSeq).sort((a, b) => a - b),
  };
}

/** How many of the others have read up to `seq` (readSeqs ascending). */
export function readCount(info: Extract<ReadInfo, { kind: 'group' }>, seq: number): number {
  let lo = 0;
  let hi = info.readSeqs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((info.readSeqs[mid] as number) >= seq) hi = mid;
    else lo = mid + 1;
  }
  return info.readSeqs.length - lo;
}
