import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../app.ts';
import { buildTestApp, testDialects } from '../../testing/app.ts';
import {
  eventsNamed,
  principalClient,
  quickClients,
  recordEvents,
  restClient,
  text,
  type RecordedEvent,
  type TestClient,
} from '../conversations/messaging.testing.ts';

describe.each(testDialects())('sending messages (%s)', (dialect) => {
  let app: App;
  let events: RecordedEvent[];
  let alice: TestClient;
  let bob: TestClient;
  let carol: TestClient;
  let group: string;

  beforeAll(async () => {
    app = await buildTestApp({ dialect });
    events = recordEvents(app);
    [alice, bob, carol] = await Promise.all([restClient(app), restClient(app), restClient(app)]);
    group = (await alice.call('groups.create', { title: '项目组', memberIds: [bob.userId] })).id;
  });
  afterAll(() => app.close());

  it('acknowledges a message with the next seq and returns it as sent', async () => {
    const { id } = await alice.call('conversations.openDirect', { userId: bob.userId });
    const msg = await alice.call('messages.send', text(id, '你好'));
    expect(msg).toMatchObject({
      conversationId: id,
      seq: 1,
      senderId: alice.userId,
      content: { kind: 'text', text: '你好' },
      version: 1,
    });
    expect((await alice.call('messages.send', text(id, 'again'))).seq).toBe(2);
  });

  it('assigns contiguous seqs to 200 concurrent sends to one conversation', async () => {
    const clients = [alice, bob];
    const before = app.services.messages.commitStats().transactions;
    const sent = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        (clients[i % 2] as TestClient).call('messages.send', text(group, `m${i}`)),
      ),
    );
    const seqs = sent.map((m) => m.seq).sort((a, b) => a - b);
    const first = seqs[0] as number;
    expect(seqs).toEqual(Array.from({ length: 200 }, (_, i) => first + i));
    // Group commit: far fewer transactions than messages.
    expect(app.services.messages.commitStats().transactions - before).toBeLessThan(200);
    const history = await bob.call('messages.history', {
      conversationId: group,
      afterSeq: first - 1,
      limit: 200,
    });
    expect(history.messages.map((m) => m.seq)).toEqual(seqs);
  });

  it('keeps seqs contiguous per conversation when 200 sends hit 20 conversations at once', async () => {
    const members = await quickClients(app, 20);
    const convs = await Promise.all(
      members.map((m) => alice.call('conversations.openDirect', { userId: m.userId })),
    );
    const sent = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        alice.call('messages.send', text((convs[i % 20] as { id: string }).id, `x${i}`)),
      ),
    );
    for (const c of convs) {
      const seqs = sent
        .filter((m) => m.conversationId === c.id)
        .map((m) => m.seq)
        .sort((a, b) => a - b);
      expect(seqs).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
    }
  });

  it('batches concurrent sends through the registry into few transactions', async () => {
    const before = app.services.messages.commitStats().transactions;
    const me = principalClient(app, alice.userId, 'batch-device');
    await Promise.all(Array.from({ length: 100 }, (_, i) => me.call('messages.send', text(group, `b${i}`))));
    expect(app.services.messages.commitStats().transactions - before).toBeLessThanOrEqual(5);
  });

  it('answers a retry with the same client id and content with the original message and no new event', async () => {
    const body = text(group, '重试', 'retry-client-0001');
    const first = await alice.call('messages.send', body);
    const mark = events.length;
    const again = await alice.call('messages.send', body);
    expect(again).toEqual(first);
    expect(eventsNamed(events, 'message.created.v1', mark)).toHaveLength(0);
  });

  it('answers concurrent duplicates inside one batch with one message', async () => {
    const body = text(group, 'twice at once', 'retry-client-0002');
    const [a, b] = await Promise.all([alice.call('messages.send', body), alice.call('messages.send', body)]);
    expect(a.seq).toBe(b.seq);
    const page = await alice.call('messages.history', { conversationId: group, afterSeq: a.seq - 1 });
    expect(page.messages.filter((m) => m.clientId === 'retry-client-0002')).toHaveLength(1);
  });

  it('refuses a reused client id with different content as DUPLICATE_CLIENT_ID and leaves no gap', async () => {
    const first = await alice.call('messages.send', text(group, 'one', 'retry-client-0003'));
    expect(await alice.fail('messages.send', text(group, 'two', 'retry-client-0003'))).toMatchObject({
      status: 409,
      code: 'DUPLICATE_CLIENT_ID',
    });
    expect((await alice.call('messages.send', text(group, 'next'))).seq).toBe(first.seq + 1);
  });

  it('accepts 2,048 bytes of Chinese text and refuses 2,049 with MESSAGE_TOO_LONG', async () => {
    const max = '汉'.repeat(682) + 'ab'; // 682 × 3 + 2 = 2,048 bytes
    expect(Buffer.byteLength(max)).toBe(2048);
    expect((await alice.call('messages.send', text(group, max))).content).toEqual({
      kind: 'text',
      text: max,
    });
    const over = await alice.fail('messages.send', text(group, max + 'c'));
    expect(over).toEqual({ status: 400, code: 'MESSAGE_TOO_LONG', details: { bytes: 2049, max: 2048 } });
  });

  it('refuses a sender who is not a member with NOT_MEMBER', async () => {
    expect(await carol.fail('messages.send', text(group, 'let me in'))).toMatchObject({
      status: 403,
      code: 'NOT_MEMBER',
    });
    expect(await carol.fail('messages.history', { conversationId: group })).toMatchObject({
      code: 'NOT_MEMBER',
    });
  });

  it('pushes a new message to every member device except the sending one', async () => {
    const mark = events.length;
    const msg = await alice.call('messages.send', text(group, 'event'));
    const [created] = eventsNamed(events, 'message.created.v1', mark);
    expect(created?.body).toEqual(msg);
    expect(new Set(created?.recipients)).toEqual(new Set([alice.userId, bob.userId]));
    expect(created?.exceptSessionId).toBe(alice.sessionId);
  });

  it('checks mentions: members only, and all only in groups', async () => {
    const ok = await alice.call('messages.send', {
      ...text(group, '@bob @all'),
      mentions: [bob.userId, 'all', bob.userId],
    });
    expect(ok.mentions).toEqual([bob.userId, 'all']);
    expect(
      await alice.fail('messages.send', { ...text(group, '@carol'), mentions: [carol.userId] }),
    ).toMatchObject({ code: 'VALIDATION_FAILED' });
    const { id } = await alice.call('conversations.openDirect', { userId: bob.userId });
    expect(await alice.fail('messages.send', { ...text(id, '@all'), mentions: ['all'] })).toMatchObject({
      code: 'VALIDATION_FAILED',
    });
  });

  it('replies with a preview of the quoted message, and refuses a reply to a missing seq', async () => {
    const quoted = await bob.call('messages.send', text(group, '这是一条很长的消息'.repeat(10)));
    const reply = await alice.call('messages.send', { ...text(group, '同意'), replyToSeq: quoted.seq });
    expect(reply.replyTo).toEqual({
      seq: quoted.seq,
      senderId: bob.userId,
      preview: Array.from('这是一条很长的消息'.repeat(10)).slice(0, 50).join(''),
    });
    // A reply to an image shows [图片]: filerefs.send.test.ts (an image needs a real uploaded file).
    expect(await alice.fail('messages.send', { ...text(group, '?'), replyToSeq: 999_999 })).toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('forwards a readable message with its content and origin', async () => {
    const original = await bob.call('messages.send', text(group, 'forward me'));
    const { id } = await alice.call('conversations.openDirect', { userId: carol.userId });
    const fwd = await alice.call('messages.forward', {
      conversationId: id,
      clientId: 'forward-client-1',
      from: { conversationId: group, seq: original.seq },
    });
    expect(fwd).toMatchObject({ conversationId: id, senderId: alice.userId, content: original.content });
    expect(fwd.forwardedFrom).toEqual({ conversationId: group, seq: original.seq, senderId: bob.userId });
    const denied = await carol.fail('messages.forward', {
      conversationId: id,
      clientId: 'forward-client-2',
      from: { conversationId: group, seq: original.seq },
    });
    expect(denied.code).toBe('NOT_MEMBER');
  });

  it('un-hides a hidden conversation for its members when a message arrives', async () => {
    await bob.call('conversations.updateSettings', { conversationId: group, hidden: true });
    expect((await bob.call('conversations.get', { conversationId: group })).me.hidden).toBe(true);
    await alice.call('messages.send', text(group, 'wake up'));
    expect((await bob.call('conversations.get', { conversationId: group })).me.hidden).toBe(false);
  });

  it('stores message content encrypted', async () => {
    await alice.call('messages.send', text(group, 'secret plans 机密'));
    const rows = await app.platform.db
      .selectFrom('messages')
      .select(['content_enc'])
      .where('conversation_id', '=', group)
      .execute();
    expect(rows.some((r) => r.content_enc?.includes('secret'))).toBe(false);
  });

  it('counts persisted messages and batch sizes in the metrics', async () => {
    const metrics = await app.platform.metrics.registry.getMetricsAsJSON();
    const persisted = metrics.find((m) => m.name === 'zx_messages_persisted_total');
    expect(Number(persisted?.values[0]?.value)).toBeGreaterThan(300);
  });

  it('drains pending sends on close and then refuses new ones', async () => {
    const other = await buildTestApp({ dialect });
    const [u] = await quickClients(other, 1);
    const me = u as TestClient;
    const { id } = await me.call('conversations.openDirect', { userId: me.userId });
    await me.call('messages.send', text(id, 'warm the member cache'));
    const pending = Promise.all(
      Array.from({ length: 20 }, (_, i) => me.call('messages.send', text(id, `late ${i}`))),
    );
    // Let the sends reach the batcher (cached membership: no I/O before enqueue), then shut down.
    for (let i = 0; i < 10; i++) await Promise.resolve();
    await other.services.messages.close();
    expect((await pending).map((m) => m.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 2));
    expect(await me.fail('messages.send', text(id, 'too late'))).toMatchObject({ code: 'UNAVAILABLE' });
    await other.close();
  });
});
