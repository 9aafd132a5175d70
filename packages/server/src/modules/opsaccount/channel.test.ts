import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Conversation, Message } from '@zhixin/protocol';
import { describe, expect, it } from 'vitest';
import type { App } from '../../app.ts';
import { freshDatabaseUrl } from '../../platform/db/testing.ts';
import { buildTestApp, testDialects } from '../../testing/app.ts';
import { connectDevice, settle } from '../../testing/devices.ts';
import {
  callOp,
  errorOf,
  loginUser,
  mustCall,
  registerUser,
  type TestUser,
} from '../../testing/factories.ts';
import { adminUser, seedQuietUsers } from './opsaccount.testing.ts';

const READERS = 2_000;

async function channelOf(app: App, user: TestUser): Promise<Conversation | undefined> {
  const { conversations } = await mustCall(app, 'conversations.list', {}, user.accessToken);
  return conversations.find((c) => c.kind === 'channel');
}

/** Rows of the messages table a broadcast stored. */
async function storedRows(app: App, broadcastId: string): Promise<number> {
  const rows = await app.platform.db
    .selectFrom('messages')
    .select('seq')
    .where('client_id', 'like', `b-${broadcastId}%`)
    .execute();
  return rows.length;
}

describe.each(testDialects())("the operations account's channel (%s)", (dialect) => {
  it(`posts to ${READERS.toLocaleString('en')} readers as one stored message, live to the online ones, unread for the others, read-only for all`, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'zx-ops-channel-'));
    const databaseUrl = await freshDatabaseUrl(dialect);
    const config = { opsAccount: { name: '致信通讯运营' } };
    let app = await buildTestApp({ dialect, dataDir, databaseUrl, config });
    try {
      const port = await app.listen();
      const admin = await adminUser(app);
      const online = await registerUser(app, { nickname: '在线' });
      const away = await registerUser(app, { nickname: '离线' });
      const device = await connectDevice(port, await loginUser(app, online.phone, online.password));
      await seedQuietUsers(app, READERS - 4);
      const opsId = (await mustCall(app, 'opsAccount.info', {}, online.accessToken)).userId;
      // Before its first post the channel shows in nobody's list, not even a newcomer's.
      expect(await channelOf(app, await registerUser(app, { nickname: '早到' }))).toBeUndefined();

      const sent = await mustCall(
        app,
        'opsAccount.send',
        { target: { all: true }, text: '系统将于今晚升级' },
        admin.accessToken,
      );
      // Done when answered: every reader has it once it is stored.
      expect(sent).toMatchObject({
        status: 'done',
        target: { all: true },
        total: READERS,
        delivered: READERS,
        finishedAt: expect.any(Number),
      });
      expect(await storedRows(app, sent.id)).toBe(1);
      const live = (await device.nextEvent('message.created.v1', 10_000)) as Message;
      expect(live).toMatchObject({ senderId: opsId, content: { kind: 'text', text: '系统将于今晚升级' } });

      // The reader who was away finds the channel in the list, the post unread.
      const channel = await channelOf(app, away);
      expect(channel).toMatchObject({
        id: live.conversationId,
        kind: 'channel',
        title: '致信通讯运营',
        ownerId: opsId,
        role: 'member',
        memberCount: READERS + 1,
        unreadCount: 1,
        lastMessage: { seq: live.seq, content: { text: '系统将于今晚升级' } },
      });
      const conversationId = live.conversationId;
      const page = await mustCall(app, 'messages.history', { conversationId }, away.accessToken);
      expect(page.messages.map((m) => m.content)).toEqual([{ kind: 'text', text: '系统将于今晚升级' }]);
      await mustCall(app, 'conversations.markRead', { conversationId, seq: live.seq }, away.accessToken);
      expect((await channelOf(app, away))?.unreadCount).toBe(0);

      // Read-only: readers neither post, react nor list each other; reads stay private.
      const mark = device.ws.frames.length;
      const token = away.accessToken;
      const refused = async (res: Promise<Parameters<typeof errorOf>[0]>) => errorOf(await res).code;
      const text = { kind: 'text' as const, text: '我也说一句' };
      expect(
        await refused(
          callOp(
            app,
            'messages.send',
            { conversationId, clientId: 'reader-0000000001', content: text },
            token,
          ),
        ),
      ).toBe('CHANNEL_READ_ONLY');
      const reaction = { conversationId, seq: live.seq, emoji: '👍', on: true };
      expect(await refused(callOp(app, 'messages.react', reaction, token))).toBe('CHANNEL_READ_ONLY');
      expect(await refused(callOp(app, 'conversations.members', { conversationId }, token))).toBe(
        'FORBIDDEN',
      );
      const ref = { conversationId, seq: live.seq };
      expect(await refused(callOp(app, 'messages.readers', ref, token))).toBe('FORBIDDEN');
      expect(await storedRows(app, sent.id)).toBe(1);
      expect(
        (await mustCall(app, 'messages.history', { conversationId }, away.accessToken)).messages,
      ).toHaveLength(1);
      await settle(100);
      expect(device.ws.frames.slice(mark).filter((f) => f.type === 'event')).toEqual([]);

      // An account made after the post reads the channel from its first sign-in: the earlier post is
      // in the history, not unread.
      const newcomer = await registerUser(app, { nickname: '新同事' });
      expect(await channelOf(app, newcomer)).toMatchObject({
        id: conversationId,
        unreadCount: 0,
        lastMessage: { seq: live.seq },
      });
      expect((await mustCall(app, 'opsAccount.info', {}, newcomer.accessToken)).channelId).toBe(
        conversationId,
      );
      // One whose row is missing (made by an older version) gets it when the server starts.
      await app.platform.db
        .deleteFrom('members')
        .where('conversation_id', '=', conversationId)
        .where('user_id', '=', newcomer.userId)
        .execute();
      await app.platform.db
        .updateTable('conversations')
        .set((eb) => ({ member_count: eb('member_count', '-', 1) }))
        .where('id', '=', conversationId)
        .execute();
      await app.close();
      app = await buildTestApp({ dialect, dataDir, databaseUrl, config });
      const newcomerBack = await loginUser(app, newcomer.phone, newcomer.password);
      await expect
        .poll(async () => (await channelOf(app, newcomerBack))?.id, { timeout: 10_000 })
        .toBe(conversationId);
      // Then the next post is its first unread, the old one stays readable.
      const adminAgain = await loginUser(app, admin.phone, admin.password);
      const second = await mustCall(
        app,
        'opsAccount.send',
        { target: { all: true }, text: '周五下午全员大会' },
        adminAgain.accessToken,
      );
      expect(second).toMatchObject({ status: 'done', total: READERS + 1 });
      const newcomerAgain = await loginUser(app, newcomer.phone, newcomer.password);
      expect(await channelOf(app, newcomerAgain)).toMatchObject({
        id: conversationId,
        unreadCount: 1,
        lastMessage: { content: { text: '周五下午全员大会' } },
      });
      const awayAgain = await loginUser(app, away.phone, away.password);
      expect((await channelOf(app, awayAgain))?.unreadCount).toBe(1);
      const history = await mustCall(app, 'messages.history', { conversationId }, newcomerAgain.accessToken);
      // Newest first.
      expect(history.messages.map((m) => m.content)).toEqual([
        { kind: 'text', text: '周五下午全员大会' },
        { kind: 'text', text: '系统将于今晚升级' },
      ]);
      // Still one row per post, none in anyone's chat with the account.
      expect(await storedRows(app, second.id)).toBe(1);
      const info = await mustCall(app, 'opsAccount.info', {}, awayAgain.accessToken);
      const chat = await mustCall(
        app,
        'conversations.get',
        { conversationId: info.conversationId },
        awayAgain.accessToken,
      );
      expect(chat.lastMessage).toBeNull();
    } finally {
      await app.close();
    }
  }, 240_000);
});
