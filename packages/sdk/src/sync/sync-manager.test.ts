import type { OpName, OpRequest, OpResponse } from '@zhixin/protocol';
import { describe, expect, it } from 'vitest';
import { MemoryStorage } from '../storage/storage.ts';
import { buildConversation, buildMessage, settle } from '../testing/fixtures.ts';
import type { Call } from '../transport.ts';
import type { Message } from './message-order.ts';
import { SyncManager, type SyncResult } from './sync-manager.ts';

/** The server's side of sync, in memory: conversations with messages, and a log of calls. */
class Model {
  readonly messages = new Map<string, Message[]>();
  readonly updatedAt = new Map<string, number>();
  readonly calls: { op: string; body: Record<string, unknown> }[] = [];
  private tick = 1;
  /** The most changes one `messages.changes` page holds. */
  changesPage = 500;
  /** Operations that fail as if the connection dropped. */
  readonly failing = new Set<string>();
  /** Held history answers (to interleave live events with a pull). */
  gate: Promise<void> | undefined;

  add(conversationId: string, n = 1): Message[] {
    const list = this.messages.get(conversationId) ?? [];
    this.messages.set(conversationId, list);
    const added: Message[] = [];
    for (let i = 0; i < n; i++) {
      const m = buildMessage({ conversationId, seq: list.length + 1 });
      list.push(m);
      added.push(m);
    }
    this.updatedAt.set(conversationId, this.tick++);
    return added;
  }

  edit(conversationId: string, seq: number, editedAt: number): Message {
    const list = this.messages.get(conversationId) as Message[];
    const m = {
      ...(list[seq - 1] as Message),
      version: (list[seq - 1] as Message).version + 1,
      editedAt,
      updatedAt: editedAt,
      content: { kind: 'text' as const, text: 'edited' },
    };
    list[seq - 1] = m;
    this.updatedAt.set(conversationId, this.tick++);
    return m;
  }

  count(op: string): number {
    return this.calls.filter((c) => c.op === op).length;
  }

  call: Call = async <N extends OpName>(name: N, request: OpRequest<N>): Promise<OpResponse<N>> => {
    const body = request as Record<string, unknown>;
    this.calls.push({ op: name, body });
    if (this.failing.has(name)) throw new Error('socket dropped');
    const answer = (v: unknown) => v as OpResponse<N>;
    if (name === 'conversations.list') {
      const since = Number(body.since ?? 0);
      const conversations = [...this.messages.keys()]
        .filter((id) => (this.updatedAt.get(id) ?? 0) > since)
        .map((id) => buildConversation({ id, lastSeq: this.messages.get(id)?.length ?? 0 }));
      return answer({ conversations, cursor: this.tick - 1 });
    }
    if (name === 'messages.history') {
      if (this.gate) await this.gate;
      const after = Number(body.afterSeq);
      const limit = Number(body.limit);
      const rest = (this.messages.get(String(body.conversationId)) ?? []).filter((m) => m.seq > after);
      return answer({ messages: rest.slice(0, limit), hasMore: rest.length > limit });
    }
    if (name === 'messages.changes') {
      const since = Number(body.since);
      const list = this.messages.get(String(body.conversationId)) ?? [];
      // As the server: changed messages with updatedAt > since, oldest change first, one page.
      const changed = list
        .filter((m) => m.version > 1 && m.updatedAt > since)
        .sort((x, y) => x.updatedAt - y.updatedAt || x.seq - y.seq);
      return answer({
        messages: changed.slice(0, this.changesPage),
        hasMore: changed.length > this.changesPage,
      });
    }
    throw new Error(`unexpected ${name}`);
  };
}

function setup(
  opts: {
    storage?: MemoryStorage;
    model?: Model;
    userId?: () => string;
    serverNow?: number;
    maxCatchUp?: number;
  } = {},
) {
  const model = opts.model ?? new Model();
  const storage = opts.storage ?? new MemoryStorage();
  const sync = new SyncManager({
    call: model.call,
    storage,
    userId: opts.userId ?? (() => 'u1'),
    serverNow: () => opts.serverNow,
    pageSize: 2,
    maxCatchUp: opts.maxCatchUp,
  });
  const created: Message[] = [];
  const updated: Message[] = [];
  const errors: unknown[] = [];
  sync.on('message.created', (m) => created.push(m));
  sync.on('message.updated', (m) => updated.push(m));
  sync.on('sync.error', (e) => errors.push(e));
  const keys = () => created.map((m) => `${m.conversationId}#${m.seq}`);
  return { model, storage, sync, created, updated, errors, keys };
}

describe('SyncManager', () => {
  it('takes a baseline on the first sync without replaying history', async () => {
    const { model, sync, created } = setup();
    model.add('a', 5);
    model.add('b', 2);
    const result: SyncResult = await sync.sync();
    expect(result.initial).toBe(true);
    expect(result.conversations.map((c) => c.id)).toEqual(['a', 'b']);
    expect(created).toEqual([]);
    expect(sync.knownSeq('a')).toBe(5);
    expect(model.count('messages.history')).toBe(0);
  });

  it('replays missed messages in seq order, paging, exactly once', async () => {
    const { model, sync, keys } = setup();
    model.add('a', 1);
    model.add('b', 1);
    await sync.sync();
    model.add('a', 5);
    model.add('c', 3); // a conversation created while away
    const result = await sync.sync();
    expect(result.initial).toBe(false);
    expect(keys().filter((k) => k.startsWith('a'))).toEqual(['a#2', 'a#3', 'a#4', 'a#5', 'a#6']);
    expect(keys().filter((k) => k.startsWith('c'))).toEqual(['c#1', 'c#2', 'c#3']);
    expect(model.count('messages.history')).toBe(3 + 2); // 5 messages in pages of 2, 3 in pages of 2
    // Nothing new: nothing replayed, b untouched.
    await sync.sync();
    expect(keys()).toHaveLength(8);
    expect(
      model.calls.filter((c) => c.op === 'messages.history' && c.body.conversationId === 'b'),
    ).toHaveLength(0);
  });

  it('persists seqs and cursor, so a restarted client does not replay', async () => {
    const storage = new MemoryStorage();
    const model = new Model();
    model.add('a', 2);
    const first = setup({ storage, model });
    await first.sync.sync();
    model.add('a', 1);
    await first.sync.sync();
    await first.sync.flush();
    expect(first.keys()).toEqual(['a#3']);
    expect(JSON.parse(storage.get('sync:u1') as string)).toMatchObject({ initialized: true, seqs: { a: 3 } });

    const second = setup({ storage, model });
    model.add('a', 1);
    await second.sync.sync();
    expect(second.keys()).toEqual(['a#4']);
  });

  it('pulls the gap when a live message skips ahead, delivering in order', async () => {
    const { model, sync, keys, errors } = setup();
    model.add('a', 1);
    await sync.sync();
    const [m2, m3, m4] = model.add('a', 3);
    sync.receiveCreated(m4 as Message);
    await settle();
    expect(keys()).toEqual(['a#2', 'a#3', 'a#4']);
    // The missed ones arriving late are duplicates now.
    sync.receiveCreated(m2 as Message);
    sync.receiveCreated(m3 as Message);
    await settle();
    expect(keys()).toEqual(['a#2', 'a#3', 'a#4']);
    expect(model.calls.filter((c) => c.op === 'messages.history').map((c) => c.body.afterSeq)).toEqual([
      1, 3,
    ]);
    expect(errors).toEqual([]);
  });

  it('does not pull when live messages arrive in order', async () => {
    const { model, sync, keys } = setup();
    model.add('a', 1);
    await sync.sync();
    for (const m of model.add('a', 3)) sync.receiveCreated(m);
    await settle();
    expect(keys()).toEqual(['a#2', 'a#3', 'a#4']);
    expect(model.count('messages.history')).toBe(0);
  });

  it('keeps order and uniqueness when live messages keep coming during a gap pull', async () => {
    const { model, sync, keys } = setup();
    model.add('a', 1);
    await sync.sync();
    let open: () => void = () => {};
    model.gate = new Promise((r) => (open = r));
    const burst = model.add('a', 4); // 2..5, of which only 5 arrives live at first
    sync.receiveCreated(burst[3] as Message);
    await settle();
    const more = model.add('a', 2); // 6, 7 arrive live while the pull waits
    for (const m of more) sync.receiveCreated(m);
    sync.receiveCreated(burst[1] as Message);
    await settle();
    model.gate = undefined;
    open();
    await settle(30);
    expect(keys()).toEqual(['a#2', 'a#3', 'a#4', 'a#5', 'a#6', 'a#7']);
  });

  it('counts our own sent messages as received', async () => {
    const { model, sync, keys } = setup();
    model.add('a', 1);
    await sync.sync();
    const [mine, theirs] = model.add('a', 2);
    sync.receiveSent(mine as Message);
    sync.receiveCreated(theirs as Message);
    await settle();
    expect(keys()).toEqual(['a#2', 'a#3']);
    expect(model.count('messages.history')).toBe(0);
  });

  it('reports edits made while away once, and none already seen', async () => {
    const { model, sync, updated, created } = setup({ serverNow: 1_000_000 });
    model.add('a', 3);
    await sync.sync(); // syncedAt = serverNow - margin
    sync.receiveCreated(model.add('a', 1)[0] as Message);
    await settle();
    sync.checkpoint(1_000_000);
    model.edit('a', 2, 1_000_100); // while away
    const edited4 = model.edit('a', 4, 1_000_200);
    sync.receiveUpdated(edited4); // this one we saw live
    await settle();
    await sync.sync();
    expect(updated.map((m) => [m.seq, m.version])).toEqual([
      [4, 2],
      [2, 2],
    ]);
    expect(created.map((m) => m.seq)).toEqual([4]);
    const changes = model.calls.filter((c) => c.op === 'messages.changes');
    expect(changes).toHaveLength(1);
    expect(changes[0]?.body.since).toBe(1_000_000 - 30_000);
  });

  it('pages through changes by updatedAt without skipping two made in the same millisecond', async () => {
    const { model, sync, updated } = setup({ serverNow: 1_000_000 });
    model.add('a', 4);
    await sync.sync();
    sync.checkpoint(1_000_000);
    model.changesPage = 2;
    model.edit('a', 1, 1_000_100);
    model.edit('a', 2, 1_000_200);
    model.edit('a', 3, 1_000_200); // same millisecond, across the page boundary
    model.edit('a', 4, 1_000_300);
    await sync.sync();
    expect(updated.map((m) => m.seq)).toEqual([1, 2, 3, 4]);
    expect(model.calls.filter((c) => c.op === 'messages.changes').map((c) => c.body.since)).toEqual([
      1_000_000 - 30_000,
      1_000_199, // one ms back: the other change at 1_000_200 is on this page
      1_000_200, // this page ended where it began: step over
    ]);
  });

  it('still asks for the changes owed when a catch-up was cut off by a disconnect', async () => {
    const { model, sync, updated } = setup({ serverNow: 1_000_000 });
    model.add('a', 2);
    await sync.sync();
    sync.checkpoint(2_000_000);
    model.edit('a', 1, 2_500_000);
    model.failing.add('messages.changes');
    await expect(sync.sync()).rejects.toThrow('socket dropped');
    sync.checkpoint(9_000_000); // the drop: must not skip the changes the failed catch-up owed
    model.failing.clear();
    await sync.sync();
    expect(updated.map((m) => [m.seq, m.version])).toEqual([[1, 2]]);
    expect(model.calls.filter((c) => c.op === 'messages.changes').at(-1)?.body.since).toBe(
      2_000_000 - 30_000,
    );
  });

  it('replays a message edited while away as created with its latest version, not again as updated', async () => {
    const { model, sync, created, updated } = setup({ serverNow: 1_000_000 });
    model.add('a', 1);
    await sync.sync();
    model.add('a', 1);
    model.edit('a', 2, 1_000_500);
    await sync.sync();
    expect(created.map((m) => [m.seq, m.version])).toEqual([[2, 2]]);
    expect(updated).toEqual([]);
  });

  it('replays at most maxCatchUp messages of a conversation', async () => {
    const { model, sync, keys } = setup({ maxCatchUp: 3 });
    model.add('a', 1);
    await sync.sync();
    model.add('a', 10);
    await sync.sync();
    expect(keys()).toEqual(['a#9', 'a#10', 'a#11']);
  });

  it('accepts a hole the server says is empty instead of waiting forever', async () => {
    const { model, sync, keys } = setup();
    model.add('a', 1);
    await sync.sync();
    // A live message 3 whose 2 the server does not have (it only ever returns what exists).
    sync.receiveCreated(buildMessage({ conversationId: 'a', seq: 3 }));
    await settle(30);
    expect(keys()).toEqual(['a#3']);
  });

  it('runs one more sync when asked during a sync', async () => {
    const { model, sync } = setup();
    model.add('a', 1);
    const first = sync.sync();
    const second = sync.sync();
    const third = sync.sync();
    expect(third).toBe(second);
    await Promise.all([first, second]);
    expect(model.count('conversations.list')).toBe(2);
  });

  it('keeps state per user', async () => {
    let user = 'u1';
    const storage = new MemoryStorage();
    const { model, sync } = setup({ storage, userId: () => user });
    model.add('a', 2);
    await sync.sync();
    await sync.flush();
    user = 'u2';
    await sync.reset();
    const result = await sync.sync();
    expect(result.initial).toBe(true);
    await sync.flush();
    expect(storage.keys().sort()).toEqual(['sync:u1', 'sync:u2']);
  });

  it('fails a sync with UNAUTHENTICATED when nobody is logged in', async () => {
    const { sync } = setup({ userId: () => '' });
    await expect(sync.sync()).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});
