import type { Member } from '@zhixin/sdk';
import { describe, expect, it } from 'vitest';
import { ME, PEER } from '../../../data/test-fixtures.ts';
import { readCount, readInfoOf } from './read-info.ts';

const member = (userId: string, readSeq: number): Member => ({
  userId,
  role: 'member',
  joinedAt: 1_700_000_000_000,
  readSeq,
});
const members = [member(ME, 9), member(PEER, 4), member('u_third', 7)];

describe('readInfoOf', () => {
  it("gives a direct chat the peer's read position and a group everyone else's, ascending", () => {
    expect(readInfoOf('direct', [member(ME, 9), member(PEER, 4)], ME)).toEqual({
      kind: 'direct',
      peerReadSeq: 4,
    });
    const group = readInfoOf('group', members, ME);
    expect(group).toEqual({ kind: 'group', others: 2, readSeqs: [4, 7] });
    if (group?.kind === 'group') expect(readCount(group, 5)).toBe(1);
  });

  it('shows no receipts in an announcement channel, even with members at hand', () => {
    expect(readInfoOf('channel', members, ME)).toBeNull();
  });
});
