import { MemoryStorage, ZhixinError, type Message, type ZhixinClient } from '@zhixin/sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SYNC_OVERLAP_MS } from '../packages/server/src/modules/conversations/index.ts';
import {
  collect,
  eventually,
  newClient,
  nextEvent,
  signUp,
  startServer,
  type RunningServer,
} from './support.ts';
import { targets } from './targets.ts';

const text = (m: Message) => (m.content?.kind === 'text' ? m.content.text : null);

describe.each(targets())('messaging through the SDK on $name', ({ options }) => {
  let server: RunningServer;
  const clients: ZhixinClient[] = [];
  const client = (name: string, storage?: MemoryStorage) => {
    const c = newClient(server, name, storage);
    clients.push(c);
    return c;
  };

  beforeEach(async () => {
    server = await startServer(options);
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await server.app.close();
  });

  it('delivers a 1:1 chat live, with read receipts back to the sender', async () => {
    const alice = client('alice-pc');
    const bob = client('bob-phone');
    await signUp(server, alice, '阿丽');
    const b = await signUp(server, bob, '小波');
    await Promise.all([alice.connect(), bob.connect()]);

    const chat = await alice.conversations.openDirect(b.userId);
    const received = nextEvent(bob, 'message.created', (m) => m.conversationId === chat.id);
    const sent = await alice.messages.sendText(chat.id, '你好，小波 👋');
    expect(sent.seq).toBe(1);
    const got = await received;
    expect(text(got)).toBe('你好，小波 👋');
    expect(got.senderId).toBe(sent.senderId);

    const receipt = nextEvent(alice, 'conversation.read', (r) => r.conversationId === chat.id);
    await bob.messages.markRead(chat.id, got.seq);
    expect(await receipt).toMatchObject({ userId: b.userId, readSeq: 1 });
    const view = await bob.conversations.get(chat.id);
    expect(view.unreadCount).toBe(0);
    expect(view.lastMessage?.seq).toBe(1);
  });

  it('delivers group messages to every member and tells who has read them', async () => {
    const [a, b, c] = [client('a'), client('b'), client('c')];
    await signUp(server, a, '甲');
    const ub = await signUp(server, b, '乙');
    const uc = await signUp(server, c, '丙');
    await Promise.all([a.connect(), b.connect(), c.connect()]);

    const group = await a.conversations.createGroup('项目组', [ub.userId, uc.userId]);
    expect(group.memberCount).toBe(3);
    const atB = nextEvent(b, 'message.created', (m) => m.conversationId === group.id);
    const atC = nextEvent(c, 'message.created', (m) => m.conversationId === group.id);
    const sent = await a.messages.sendText(group.id, '@乙 明天开会', { mentions: [ub.userId] });
    const [mb, mc] = await Promise.all([atB, atC]);
    expect(text(mb)).toBe('@乙 明天开会');
    expect(mc.seq).toBe(sent.seq);
    expect((await b.conversations.get(group.id)).mentionedMe).toBe(true);

    await b.messages.markRead(group.id, sent.seq);
    await eventually(async () => {
      const readers = await a.messages.readers(group.id, sent.seq);
      expect(readers.readUserIds).toEqual([ub.userId]);
      expect(readers.unreadUserIds).toEqual([uc.userId]);
    });
  });

  it('catches up an offline device on what it missed, exactly once and in order', async () => {
    const alice = client('alice');
    const bobStorage = new MemoryStorage();
    const bob = client('bob', bobStorage);
    await signUp(server, alice, 'Alice');
    const ub = await signUp(server, bob, 'Bob');
    await Promise.all([alice.connect(), bob.connect()]);
    const chat = await alice.conversations.openDirect(ub.userId);
    const first = nextEvent(bob, 'message.created', (m) => m.conversationId === chat.id);
    await alice.messages.sendText(chat.id, 'before');
    await first;

    await bob.close();
    for (const t of ['while away 1', 'while away 2', 'while away 3'])
      await alice.messages.sendText(chat.id, t);
    const edited = await alice.messages.sendText(chat.id, 'typo');
    await alice.messages.edit(chat.id, edited.seq, 'fixed');

    const created = collect(bob, 'message.created');
    const updated = collect(bob, 'message.updated');
    const synced = nextEvent(bob, 'sync.completed');
    await bob.connect();
    await synced;
    await eventually(() => {
      expect(created.items.map(text)).toEqual([
        'while away 1',
        'while away 2',
        'while away 3',
        expect.any(String),
      ]);
    });
    expect(created.items.map((m) => m.seq)).toEqual([2, 3, 4, 5]);
    const finalFive = [...created.items, ...updated.items].filter((m) => m.seq === 5).at(-1);
    expect(finalFive && text(finalFive)).toBe('fixed');
  });

  it('brings a device back in step with edits and recalls of old messages in a quiet chat', async () => {
    // Regression: catch-up lists conversations changed since the cursor; an edit or a recall
    // with no new message used to leave the conversation unchanged, so offline devices never saw it.
    const alice = client('alice');
    const bob = client('bob');
    await signUp(server, alice, 'Alice');
    const ub = await signUp(server, bob, 'Bob');
    await Promise.all([alice.connect(), bob.connect()]);
    const chat = await alice.conversations.openDirect(ub.userId);
    const delivered = nextEvent(bob, 'message.created', (m) => m.seq === 2);
    const first = await alice.messages.sendText(chat.id, 'first');
    const second = await alice.messages.sendText(chat.id, 'second');
    await delivered;
    // Past the list cursor's safety overlap, so that bob's cursor lies after both messages and only
    // a real change marker can bring the chat back into his next catch-up.
    await new Promise((r) => setTimeout(r, SYNC_OVERLAP_MS + 500));
    await bob.syncNow();

    await bob.close();
    await alice.messages.edit(chat.id, first.seq, 'first, edited');
    await alice.messages.recall(chat.id, second.seq);
    const updated = collect(bob, 'message.updated');
    await bob.connect();
    await eventually(() => {
      const last = new Map(updated.items.map((m) => [m.seq, m]));
      expect(last.get(first.seq) && text(last.get(first.seq) as Message)).toBe('first, edited');
      expect(last.get(second.seq)?.recalledAt).not.toBeNull();
    });
  });

  it('keeps two devices of one user in step: own sends, edits, recalls, drafts and read positions', async () => {
    const pc = client('alice-pc');
    const phone = client('alice-phone');
    const bob = client('bob');
    const ua = await signUp(server, pc, 'Alice');
    const ub = await signUp(server, bob, 'Bob');
    await phone.auth.loginPassword(ua.phone, ua.password);
    await Promise.all([pc.connect(), phone.connect(), bob.connect()]);
    expect((await pc.auth.devices()).length).toBe(2);

    const chat = await pc.conversations.openDirect(ub.userId);
    const onPhone = nextEvent(phone, 'message.created', (m) => m.conversationId === chat.id);
    const sent = await pc.messages.sendText(chat.id, '从电脑发的');
    expect(text(await onPhone)).toBe('从电脑发的');

    const editSeen = nextEvent(phone, 'message.updated', (m) => m.seq === sent.seq && m.editedAt !== null);
    await pc.messages.edit(chat.id, sent.seq, '从电脑发的（已改）');
    expect(text(await editSeen)).toBe('从电脑发的（已改）');

    const recallSeen = nextEvent(bob, 'message.updated', (m) => m.seq === sent.seq && m.recalledAt !== null);
    await phone.messages.recall(chat.id, sent.seq);
    expect((await recallSeen).content).toBeNull();

    const draftSeen = nextEvent(
      phone,
      'member.settings',
      (s) => s.conversationId === chat.id && s.draft !== null,
    );
    await pc.conversations.saveDraft(chat.id, '还没写完的话');
    expect((await draftSeen).draft?.text).toBe('还没写完的话');

    const reply = await bob.messages.sendText(chat.id, '收到');
    const readOnPc = nextEvent(
      pc,
      'conversation.read',
      (r) => r.userId === ua.userId && r.readSeq === reply.seq,
    );
    await phone.messages.markRead(chat.id, reply.seq);
    await readOnPc;
    expect((await pc.conversations.get(chat.id)).unreadCount).toBe(0);
  });

  it('logs a device out remotely and tells it so', async () => {
    const pc = client('pc');
    const phone = client('phone');
    const ua = await signUp(server, pc, 'Alice');
    const phoneSession = await phone.auth.loginPassword(ua.phone, ua.password);
    await Promise.all([pc.connect(), phone.connect()]);
    const lost = nextEvent(phone, 'auth.lost');
    await pc.auth.revokeDevice(phoneSession.sessionId);
    expect((await lost).code).toBe('SESSION_REVOKED');
    await expect(phone.users.me()).rejects.toBeInstanceOf(ZhixinError);
    expect((await pc.auth.devices()).map((d) => d.sessionId)).not.toContain(phoneSession.sessionId);
  });

  it('refuses bad sends with typed errors and stores nothing', async () => {
    const alice = client('alice');
    const bob = client('bob');
    const eve = client('eve');
    await signUp(server, alice, 'Alice');
    const ub = await signUp(server, bob, 'Bob');
    await signUp(server, eve, 'Eve');
    await Promise.all([alice.connect(), eve.connect()]);
    const chat = await alice.conversations.openDirect(ub.userId);

    const tooLong = '字'.repeat(683); // 2,049 bytes of UTF-8
    await expect(alice.messages.sendText(chat.id, tooLong)).rejects.toMatchObject({
      code: 'MESSAGE_TOO_LONG',
    });
    await expect(eve.messages.sendText(chat.id, 'let me in')).rejects.toMatchObject({ code: 'NOT_MEMBER' });
    const ok = await alice.messages.sendText(chat.id, '字'.repeat(682) + 'ab'); // exactly 2,048 bytes
    expect(ok.seq).toBe(1);
    expect((await alice.messages.history(chat.id)).messages.map((m) => m.seq)).toEqual([1]);
  });
});
