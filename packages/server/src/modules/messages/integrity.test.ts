import type { Message } from '@zhixin/protocol';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { App } from '../../app.ts';
import { freshDatabaseUrl } from '../../platform/db/testing.ts';
import { buildTestApp, testDialects } from '../../testing/app.ts';
import { restClient, text, type TestClient } from '../conversations/messaging.testing.ts';

const ACTION = 'security.message_tampered';

describe.each(testDialects())('message integrity (%s)', (dialect) => {
  let app: App;
  let alice: TestClient;
  let bob: TestClient;

  beforeAll(async () => {
    app = await buildTestApp({ dialect });
    [alice, bob] = await Promise.all([restClient(app), restClient(app)]);
    // A fresh database has nothing to backfill, but the state is read in the background.
    const state = () =>
      app.platform.db.selectFrom('message_mac_backfill').select('done_at').executeTakeFirstOrThrow();
    await vi.waitFor(async () => expect((await state()).done_at).not.toBeNull());
  });
  afterAll(() => app.close());

  /** A fresh chat of alice and bob with `count` messages from alice ("m1"…). */
  async function chatWith(count: number): Promise<string> {
    const id = (await alice.call('groups.create', { title: 'chat', memberIds: [bob.userId] })).id;
    for (let i = 1; i <= count; i++) await alice.call('messages.send', text(id, `m${i}`));
    return id;
  }

  /** What someone with write access to the database does, bypassing the server. */
  function forge(conversationId: string, seq: number) {
    return app.platform.db
      .updateTable('messages')
      .where('conversation_id', '=', conversationId)
      .where('seq', '=', seq);
  }

  async function bySeq(client: TestClient, conversationId: string): Promise<Map<number, Message>> {
    const page = await client.call('messages.history', { conversationId });
    return new Map(page.messages.map((m) => [m.seq, m]));
  }

  async function reports(conversationId: string) {
    return (
      await app.services.audit.list({ category: 'security', action: ACTION, limit: 500 })
    ).records.filter((r) => r.conversationId === conversationId);
  }

  function expectTampered(m: Message | undefined): void {
    expect(m).toMatchObject({
      integrity: 'tampered',
      content: null,
      mentions: [],
      replyTo: null,
      forwardedFrom: null,
    });
  }

  it('flags a message whose sealed content was swapped with another one, and records it once', async () => {
    const id = await chatWith(3);
    const source = await app.platform.db
      .selectFrom('messages')
      .select('content_enc')
      .where('conversation_id', '=', id)
      .where('seq', '=', 3)
      .executeTakeFirstOrThrow();
    await forge(id, 1).set({ content_enc: source.content_enc }).execute();

    const seen = await bySeq(bob, id);
    expectTampered(seen.get(1));
    expect(seen.get(2)).toMatchObject({ content: { kind: 'text', text: 'm2' } });
    expect(seen.get(2)?.integrity).toBeUndefined();
    expect(seen.get(3)?.integrity).toBeUndefined();
    // Read again, by someone else too: still one record.
    await bySeq(alice, id);
    await bySeq(bob, id);
    const records = await reports(id);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      subject: `${id}:1`,
      actorId: null,
      details: { reason: 'mac mismatch' },
    });
  });

  it('flags a changed sender, a moved seq and a forged recall; leaves the rest alone', async () => {
    const id = await chatWith(4);
    await forge(id, 1).set({ sender_id: bob.userId }).execute();
    await forge(id, 2).set({ seq: 40 }).execute();
    await forge(id, 3).set({ recalled_at: Date.now(), content_enc: null }).execute();

    const seen = await bySeq(bob, id);
    expectTampered(seen.get(1));
    expectTampered(seen.get(40));
    expectTampered(seen.get(3));
    expect(seen.get(4)).toMatchObject({ content: { kind: 'text', text: 'm4' } });
    expect(seen.get(4)?.integrity).toBeUndefined();
    expect((await reports(id)).map((r) => r.subject).sort()).toEqual([`${id}:1`, `${id}:3`, `${id}:40`]);
  });

  it('flags a forged last message in the conversation list', async () => {
    const id = await chatWith(2);
    await forge(id, 2)
      .set({ mentions: JSON.stringify(['all']) })
      .execute();
    const list = await bob.call('conversations.list', {});
    const chat = list.conversations.find((c) => c.id === id);
    expectTampered(chat?.lastMessage ?? undefined);
    expect(await reports(id)).toHaveLength(1);
  });

  it('refuses to edit, recall, quote or forward a tampered message, which stays flagged', async () => {
    const id = await chatWith(1);
    await forge(id, 1)
      .set({ created_at: Date.now() + 60_000 })
      .execute();
    const ref = { conversationId: id, seq: 1 };
    const edit = await alice.fail('messages.edit', { ...ref, content: { kind: 'text', text: 'laundered' } });
    expect(edit).toMatchObject({ status: 409, code: 'CONFLICT' });
    expect(await alice.fail('messages.recall', ref)).toMatchObject({ status: 409, code: 'CONFLICT' });
    const reply = await bob.fail('messages.send', { ...text(id, 'quoting'), replyToSeq: 1 });
    expect(reply).toMatchObject({ status: 409, code: 'CONFLICT' });
    const forward = await bob.fail('messages.forward', {
      conversationId: id,
      clientId: 'forward-1',
      from: ref,
    });
    expect(forward).toMatchObject({ status: 409, code: 'CONFLICT' });
    expectTampered((await bySeq(bob, id)).get(1));
  });

  it('keeps edited, recalled and reacted messages verifiable', async () => {
    const id = await chatWith(3);
    await alice.call('messages.edit', { conversationId: id, seq: 1, content: { kind: 'text', text: 'm1!' } });
    await alice.call('messages.recall', { conversationId: id, seq: 2 });
    await bob.call('messages.react', { conversationId: id, seq: 3, emoji: '👍', on: true });
    const seen = await bySeq(bob, id);
    expect([...seen.values()].map((m) => m.integrity)).toEqual([undefined, undefined, undefined]);
    expect(seen.get(1)?.content).toEqual({ kind: 'text', text: 'm1!' });
    expect(seen.get(2)?.recalledAt).not.toBeNull();
    expect(await reports(id)).toHaveLength(0);
  });

  it("flags a row whose MAC was replaced by 'legacy' once the backfill is done", async () => {
    const id = await chatWith(1);
    await forge(id, 1).set({ mac: 'legacy' }).execute();
    expectTampered((await bySeq(bob, id)).get(1));
    expect((await reports(id))[0]?.details).toMatchObject({ reason: 'legacy mac after backfill' });
  });
});

describe.each(testDialects())('message MAC backfill (%s)', (dialect) => {
  it('gives rows stored before the migration their MACs at startup, shown unflagged', async () => {
    const databaseUrl = await freshDatabaseUrl(dialect);
    const dataDir = mkdtempSync(join(tmpdir(), 'zx-mac-'));
    const first = await buildTestApp({ dialect, databaseUrl, dataDir });
    const [alice, bob] = [await restClient(first), await restClient(first)];
    const id = (await alice.call('groups.create', { title: 'old', memberIds: [bob.userId] })).id;
    for (let i = 1; i <= 3; i++) await alice.call('messages.send', text(id, `old${i}`));
    // As the migration leaves a database written before it.
    await first.platform.db.updateTable('messages').set({ mac: 'legacy' }).execute();
    await first.platform.db.updateTable('message_mac_backfill').set({ done_at: null }).execute();
    await first.close();

    const second = await buildTestApp({ dialect, databaseUrl, dataDir });
    try {
      const state = () =>
        second.platform.db.selectFrom('message_mac_backfill').select('done_at').executeTakeFirstOrThrow();
      await vi.waitFor(async () => expect((await state()).done_at).not.toBeNull());
      const rows = await second.platform.db.selectFrom('messages').select('mac').execute();
      expect(rows.filter((r) => r.mac === 'legacy')).toHaveLength(0);
      // Through the second node's service: the first node's tokens were for that app.
      const caller = { userId: bob.userId, sessionId: bob.sessionId };
      const page = (await second.services.messages.history(caller, { conversationId: id })).messages;
      expect(page.map((m) => [m.content, m.integrity])).toEqual([
        [{ kind: 'text', text: 'old3' }, undefined],
        [{ kind: 'text', text: 'old2' }, undefined],
        [{ kind: 'text', text: 'old1' }, undefined],
      ]);
    } finally {
      await second.close();
    }
  });
});
