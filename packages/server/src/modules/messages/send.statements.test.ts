import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { App } from '../../app.ts';
import { buildTestApp } from '../../testing/app.ts';
import { quickClients, text, type TestClient } from '../conversations/messaging.testing.ts';

/**
 * The group commit's SQL has a few texts whatever the batch: SQLite's statement cache then prepares
 * nothing new once each batch shape has been seen (a new text per batch would cost a prepare each).
 */
describe('statements of the send path (sqlite)', () => {
  let app: App;
  let users: TestClient[];
  let chats: string[];

  beforeAll(async () => {
    app = await buildTestApp({ dialect: 'sqlite' });
    users = await quickClients(app, 13);
    chats = [];
    for (let i = 1; i < users.length; i++)
      chats.push((await users[0]!.call('conversations.openDirect', { userId: users[i]!.userId })).id);
  });
  afterAll(() => app.close());

  /** One batch per size: `size` sends to `size` different chats, starting at chat `offset`. */
  async function batches(offset: number): Promise<void> {
    for (let size = 1; size <= chats.length; size++) {
      await Promise.all(
        Array.from({ length: size }, (_, i) =>
          users[0]!.call('messages.send', text(chats[(offset + i) % chats.length]!, `b${size}`)),
        ),
      );
    }
  }

  it('has one statement text per padded batch size, and prepares nothing once each was seen', async () => {
    const prepare = vi.spyOn(SQLite.prototype, 'prepare');
    try {
      await batches(0);
      const texts = new Set(prepare.mock.calls.map(([sql]) => sql));
      const starting = (prefix: string) => [...texts].filter((t) => t.startsWith(prefix)).length;
      // Batches of 1 to 12 conversations: padded to 1, 2, 4, 8 and 16.
      expect(starting('update conversations')).toBe(5);
      expect(starting('update "members"')).toBe(5);
      // A parameter in place of the partial index's 1 (members_hidden: hidden = 1) made SQLite
      // re-prepare the un-hide update on every run, which the prepare spy does not see.
      for (const t of texts) if (t.startsWith('update "members"')) expect(t).toMatch(/"hidden" = 1$/);
      expect(starting('insert into "messages"')).toBe(1);
      prepare.mockClear();
      await batches(5);
      await batches(7);
      expect(prepare.mock.calls.map(([sql]) => sql)).toEqual([]);
    } finally {
      prepare.mockRestore();
    }
  });
});
