import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../app.ts';
import { buildTestApp, testDialects } from '../../testing/app.ts';
import {
  adminUser,
  callOp,
  mustCall,
  registerUser,
  staffUser,
  type TestUser,
} from '../../testing/factories.ts';
import { befriend } from '../../testing/friends.ts';

/**
 * Attack: SQL injection. Classic payloads (quotes, comments, stacked statements, UNION, boolean
 * tautologies, LIKE wildcards, NUL bytes) in every free-text field that is stored or searched: they
 * are stored and answered verbatim, searches treat them as literal text (no "match everything"),
 * nothing errors, and no table changes beyond the caller's own row. On SQLite and PostgreSQL.
 */

/** Each fits the shortest field it goes into (32 characters). */
const PAYLOADS = [
  "' OR '1'='1",
  "' OR 1=1 --",
  '" OR ""="',
  "'; DROP TABLE users; --",
  "1';UPDATE users SET role='admin'",
  "' UNION SELECT * FROM users--",
  '%',
  '_',
  '%%_\\',
  "admin'/*",
  "\\x00\\'",
  "$1 $$ E'\\\\'",
];

async function count(app: App, table: 'users' | 'sessions' | 'conversations'): Promise<number> {
  const row = await app.platform.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

describe.each(testDialects())('SQL injection (%s)', (dialect) => {
  let app: App;
  let user: TestUser;
  let friend: TestUser;
  let operator: TestUser;
  let admin: TestUser;
  beforeAll(async () => {
    app = await buildTestApp({ dialect });
    user = await registerUser(app, { nickname: '普通用户' });
    friend = await registerUser(app, { nickname: '朋友' });
    operator = await staffUser(app, 'operator');
    admin = await adminUser(app);
    await befriend(app, user, friend);
  });
  afterAll(() => app.close());

  it('stores and answers injection payloads verbatim in nicknames, titles, messages, posts and remarks', async () => {
    const group = await mustCall(
      app,
      'groups.create',
      { title: 'injection', memberIds: [friend.userId] },
      user.accessToken,
    );
    let n = 0;
    for (const p of PAYLOADS) {
      const me = await mustCall(app, 'users.updateMe', { nickname: p, signature: p }, user.accessToken);
      expect([me.nickname, me.signature]).toEqual([p, p]);
      const renamed = await mustCall(
        app,
        'groups.rename',
        { conversationId: group.id, title: p },
        user.accessToken,
      );
      expect(renamed.title).toBe(p);
      const sent = await mustCall(
        app,
        'messages.send',
        {
          conversationId: group.id,
          clientId: `inject-${dialect}-${n++}`,
          content: { kind: 'text', text: p },
        },
        user.accessToken,
      );
      expect(sent.content).toEqual({ kind: 'text', text: p });
      const post = await mustCall(app, 'moments.create', { text: p, visibility: 'self' }, user.accessToken);
      expect(post.text).toBe(p);
      await mustCall(
        app,
        'contacts.setRemark',
        { userId: friend.userId, remark: p.slice(0, 32) },
        user.accessToken,
      );
    }
    const history = await mustCall(app, 'messages.history', { conversationId: group.id }, friend.accessToken);
    const texts = history.messages.map((m) => (m.content?.kind === 'text' ? m.content.text : null));
    for (const p of PAYLOADS) expect(texts).toContain(p);
    // The other user's profile and everyone's role are untouched.
    const [other] = (await mustCall(app, 'users.profiles', { ids: friend.userId }, user.accessToken)).users;
    expect(other?.nickname).toBe('朋友');
    expect((await mustCall(app, 'users.me', {}, user.accessToken)).role).toBe('user');
  });

  it('treats payloads as literal text in every search', async () => {
    const users = await count(app, 'users');
    const groups = await count(app, 'conversations');
    for (const p of PAYLOADS) {
      const byPhone = await callOp(app, 'friends.search', { query: p }, friend.accessToken);
      // Only an exact phone number or 致信号 finds anyone; a payload is neither.
      expect(byPhone.status, JSON.stringify(byPhone.body)).toBe(404);
      const staffUsers = await callOp(app, 'admin.users.list', { q: p }, operator.accessToken);
      expect(staffUsers.status, JSON.stringify(staffUsers.body)).toBe(200);
      // No wildcard or tautology matches everyone: only rows that really hold the text (our nickname).
      expect(staffUsers.body.users.length).toBeLessThan(users);
      const staffGroups = await callOp(app, 'admin.groups.list', { q: p }, operator.accessToken);
      expect(staffGroups.status, JSON.stringify(staffGroups.body)).toBe(200);
      expect(staffGroups.body.groups.length).toBeLessThanOrEqual(1);
      const audit = await callOp(app, 'audit.list', { action: p, subject: p }, admin.accessToken);
      expect(audit.status, JSON.stringify(audit.body)).toBe(200);
    }
    expect(await count(app, 'users')).toBe(users);
    expect(await count(app, 'conversations')).toBe(groups);
  });

  it('refuses payloads in ids and enums with a typed error, not a database error', async () => {
    for (const p of PAYLOADS) {
      const res = await callOp(app, 'conversations.get', { conversationId: p }, user.accessToken);
      expect([400, 403, 404], JSON.stringify(res.body)).toContain(res.status);
      const sort = await callOp(app, 'admin.users.list', { sort: p }, operator.accessToken);
      expect(sort.status).toBe(400);
      expect(sort.body.error?.code).toBe('VALIDATION_FAILED');
    }
    expect(await count(app, 'users')).toBeGreaterThan(0);
  });
});
