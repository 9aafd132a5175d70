import { describe, expect, it } from 'vitest';
import { MemoryStorage } from '../storage/storage.ts';
import { buildMessage } from '../testing/fixtures.ts';
import { MessageOrder, type Message } from './message-order.ts';
import { SyncState } from './sync-state.ts';

async function setup(initialized = true) {
  const state = await SyncState.load(new MemoryStorage(), 'u1', (e) => {
    throw e;
  });
  state.initialized = initialized;
  const created: Message[] = [];
  const updated: Message[] = [];
  const order = new MessageOrder(state, { created: (m) => created.push(m), updated: (m) => updated.push(m) });
  const seqs = () => created.map((m) => m.seq);
  return { state, order, created, updated, seqs };
}

const msg = (seq: number, version = 1, conversationId = 'c1') =>
  buildMessage({ conversationId, seq, version });

describe('MessageOrder', () => {
  it('delivers consecutive messages and drops repeats', async () => {
    const { order, state, seqs } = await setup();
    state.setKnownSeq('c1', 3);
    expect(order.live(msg(4))).toBe(false);
    expect(order.live(msg(5))).toBe(false);
    expect(order.live(msg(5))).toBe(false);
    expect(order.live(msg(2))).toBe(false);
    expect(seqs()).toEqual([4, 5]);
    expect(state.knownSeq('c1')).toBe(5);
  });

  it('holds a message past a gap until the gap is pulled, then delivers in seq order', async () => {
    const { order, state, seqs } = await setup();
    state.setKnownSeq('c1', 1);
    expect(order.live(msg(4))).toBe(true);
    expect(order.live(msg(5))).toBe(true);
    expect(seqs()).toEqual([]);
    expect(order.maxHeld('c1')).toBe(5);
    // The pull returns 2..5; 4 and 5 were held already and must not come twice.
    for (const s of [2, 3, 4, 5]) order.pulled(msg(s));
    expect(seqs()).toEqual([2, 3, 4, 5]);
    expect(order.hasHeld('c1')).toBe(false);
    expect(state.knownSeq('c1')).toBe(5);
  });

  it('delivers held messages as soon as the missing one arrives live', async () => {
    const { order, state, seqs } = await setup();
    state.setKnownSeq('c1', 1);
    order.live(msg(3));
    order.live(msg(4));
    order.live(msg(2));
    expect(seqs()).toEqual([2, 3, 4]);
  });

  it('treats a pull as the truth about holes: what it skips does not exist', async () => {
    const { order, state, seqs } = await setup();
    state.setKnownSeq('c1', 1);
    order.live(msg(6));
    order.pulled(msg(3)); // 2 does not exist
    order.pulled(msg(6));
    expect(seqs()).toEqual([3, 6]);
  });

  it('releases held messages in order when the server confirms the holes are empty', async () => {
    const { order, state, seqs } = await setup();
    state.setKnownSeq('c1', 1);
    order.live(msg(5));
    order.live(msg(3));
    order.releaseHeld('c1');
    expect(seqs()).toEqual([3, 5]);
    expect(state.knownSeq('c1')).toBe(5);
  });

  it('delivers an update once per version and never an older copy', async () => {
    const { order, state, updated } = await setup();
    state.setKnownSeq('c1', 0);
    order.live(msg(1, 1));
    order.update(msg(1, 2));
    order.update(msg(1, 2));
    order.update(msg(1, 1));
    order.update(msg(1, 3));
    expect(updated.map((m) => m.version)).toEqual([2, 3]);
  });

  it('folds an update of a held message into it instead of reporting it', async () => {
    const { order, state, created, updated } = await setup();
    state.setKnownSeq('c1', 1);
    order.live(msg(3, 1));
    order.update(msg(3, 2));
    order.pulled(msg(2));
    order.pulled(msg(3, 1)); // the pull raced the edit: the held copy is newer
    expect(created.map((m) => [m.seq, m.version])).toEqual([
      [2, 1],
      [3, 2],
    ]);
    expect(updated).toEqual([]);
  });

  it('reports a repeated message with a higher version as an update', async () => {
    const { order, state, updated } = await setup();
    state.setKnownSeq('c1', 0);
    order.live(msg(1, 1));
    order.live(msg(1, 2));
    expect(updated.map((m) => m.version)).toEqual([2]);
  });

  it('takes the first message as the baseline before the first full sync', async () => {
    const { order, state, seqs } = await setup(false);
    expect(order.live(msg(40))).toBe(false);
    expect(seqs()).toEqual([40]);
    expect(state.knownSeq('c1')).toBe(40);
  });

  it('after the first sync, a conversation never seen starts at 0', async () => {
    const { order } = await setup(true);
    expect(order.live(msg(3, 1, 'new'))).toBe(true);
    expect(order.live(msg(1, 1, 'other'))).toBe(false);
  });

  it('skips ahead without delivering what lies before, but delivers held messages in range', async () => {
    const { order, state, seqs } = await setup();
    state.setKnownSeq('c1', 1);
    order.live(msg(50));
    order.live(msg(80));
    order.skipTo('c1', 60);
    expect(seqs()).toEqual([50]);
    expect(state.knownSeq('c1')).toBe(60);
    expect(order.maxHeld('c1')).toBe(80);
  });

  it('tells whether anything was held after a mark', async () => {
    const { order, state } = await setup();
    state.setKnownSeq('c1', 1);
    order.live(msg(5));
    const mark = order.mark();
    expect(order.heldAfter('c1', mark)).toBe(false);
    order.live(msg(7));
    expect(order.heldAfter('c1', mark)).toBe(true);
  });
});
