import { randomBytes } from 'node:crypto';
import { Operations, roleMayCall, type OpName, type Role } from '@zhixin/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../app.ts';
import { TusTestClient } from '../../modules/files/files.testing.ts';
import { buildTestApp } from '../../testing/app.ts';
import {
  adminUser,
  callOp,
  errorOf,
  mustCall,
  registerUser,
  staffUser,
  type TestUser,
} from '../../testing/factories.ts';
import { befriend } from '../../testing/friends.ts';

/**
 * Attack: privilege escalation. A user tries to make themselves staff through any body they may
 * send about themselves, calls staff operations directly, and edits other people's things by id;
 * an operator calls administrator-only operations. Every attempt is refused and changes nothing.
 */

/** Keys a hopeful attacker adds to every body about themselves. */
const ESCALATION = {
  role: 'admin',
  isAdmin: true,
  admin: true,
  status: 'active',
  official: true,
  isOfficial: true,
  permissions: ['*'],
  __proto__: { role: 'admin' },
  constructor: { prototype: { role: 'admin' } },
};

/** A valid body for each operation that edits the caller's own account or settings. */
const SELF_EDITS: Array<[OpName, Record<string, unknown>]> = [
  ['users.updateMe', { nickname: '想当管理员' }],
  ['users.updatePreferences', { fontSize: 'large' }],
  ['friends.updatePrivacy', { findableByPhone: false }],
  ['users.setAccount', { account: `esc_${randomBytes(4).toString('hex')}` }],
  ['moments.setCover', { fileId: null }],
  ['codes.refreshMine', { validityDays: 7 }],
];

async function roleInDb(app: App, userId: string): Promise<string> {
  const row = await app.platform.db
    .selectFrom('users')
    .select('role')
    .where('id', '=', userId)
    .executeTakeFirstOrThrow();
  return row.role;
}

describe('privilege escalation', () => {
  let app: App;
  let port: number;
  let user: TestUser;
  let victim: TestUser;
  beforeAll(async () => {
    app = await buildTestApp();
    port = await app.listen();
    user = await registerUser(app);
    victim = await registerUser(app, { nickname: '受害者' });
  });
  afterAll(() => app.close());

  it.each(SELF_EDITS)('cannot raise its own role through %s', async (name, body) => {
    const raw = JSON.stringify({ ...body, userId: victim.userId, id: victim.userId }).slice(0, -1);
    // JSON text, so `__proto__` and `constructor` arrive as own keys the way an attacker sends them.
    const payload = `${raw},${JSON.stringify(ESCALATION).slice(1)}`;
    const def = Operations[name];
    const res = await app.http.inject({
      method: def.method,
      url: `/api/v1${def.path}`,
      headers: { authorization: `Bearer ${user.accessToken}`, 'content-type': 'application/json' },
      payload,
    });
    expect(res.statusCode, res.body).toBeLessThan(500);
    expect(await roleInDb(app, user.userId)).toBe('user');
    expect((await mustCall(app, 'users.me', {}, user.accessToken)).role).toBe('user');
    expect(errorOf(await callOp(app, 'admin.users.list', {}, user.accessToken))).toEqual({
      status: 403,
      code: 'FORBIDDEN',
    });
    // The victim named in the body is untouched.
    const [profile] = (await mustCall(app, 'users.profiles', { ids: victim.userId }, victim.accessToken))
      .users;
    expect(profile?.nickname).toBe('受害者');
    expect(await roleInDb(app, victim.userId)).toBe('user');
    // Nothing leaked onto the prototype of every object in the server.
    expect(({} as Record<string, unknown>).role).toBeUndefined();
  });

  it('refuses every staff operation to users, every admin operation to operators and auditors', async () => {
    const callers: Record<Exclude<Role, 'admin'>, TestUser> = {
      user,
      operator: await staffUser(app, 'operator'),
      auditor: await staffUser(app, 'auditor'),
    };
    let checked = 0;
    for (const name of app.ops.registered()) {
      const def = Operations[name];
      for (const [role, caller] of Object.entries(callers) as Array<[Role, TestUser]>) {
        if (roleMayCall(def.access, role)) continue;
        // A body that is not even valid: the role check comes first and reveals nothing else.
        const res = await callOp(
          app,
          name,
          { userId: 'x', conversationId: 'x', id: 'x' },
          caller.accessToken,
        );
        expect(errorOf(res), `${role} calling ${name}`).toEqual({ status: 403, code: 'FORBIDDEN' });
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(50);
  });

  it('ends the sessions of a demoted operator, so the old token carries no stale role', async () => {
    const admin = await adminUser(app);
    const operator = await staffUser(app, 'operator');
    expect((await callOp(app, 'admin.users.list', {}, operator.accessToken)).status).toBe(200);
    await mustCall(app, 'admin.users.setRole', { userId: operator.userId, role: 'user' }, admin.accessToken);
    expect(errorOf(await callOp(app, 'admin.users.list', {}, operator.accessToken))).toEqual({
      status: 401,
      code: 'SESSION_REVOKED',
    });
  });

  it('refuses an administrator changing their own role (no self-service lockout or escalation)', async () => {
    const admin = await adminUser(app);
    const res = await callOp(
      app,
      'admin.users.setRole',
      { userId: admin.userId, role: 'user' },
      admin.accessToken,
    );
    expect(errorOf(res)).toEqual({ status: 403, code: 'FORBIDDEN' });
  });

  describe("other people's resources, by id", () => {
    let owner: TestUser;
    let member: TestUser;
    let outsider: TestUser;
    let groupId: string;
    let directId: string;
    let postId: string;
    let commentId: string;
    let fileId: string;
    beforeAll(async () => {
      owner = await registerUser(app);
      member = await registerUser(app);
      outsider = await registerUser(app);
      await befriend(app, owner, member);
      groupId = (
        await mustCall(
          app,
          'groups.create',
          { title: '机密群', memberIds: [member.userId] },
          owner.accessToken,
        )
      ).id;
      directId = (
        await mustCall(app, 'conversations.openDirect', { userId: member.userId }, owner.accessToken)
      ).id;
      const post = await mustCall(
        app,
        'moments.create',
        { text: '仅自己', visibility: 'self' },
        owner.accessToken,
      );
      postId = post.id;
      const everyone = await mustCall(
        app,
        'moments.create',
        { text: '公开', visibility: 'everyone' },
        owner.accessToken,
      );
      commentId = (
        await mustCall(app, 'moments.comment', { postId: everyone.id, text: '我的评论' }, owner.accessToken)
      ).id;
      const tus = new TusTestClient(`http://127.0.0.1:${port}`, owner.accessToken);
      fileId = (await tus.upload(randomBytes(64), { filename: 'private.bin' })).id;
    });

    it("refuses an outsider every read and write of another's conversations, posts, comments and files", async () => {
      const text = { kind: 'text', text: '闯入' };
      const attempts: Array<[OpName, Record<string, unknown>]> = [
        ['conversations.get', { conversationId: groupId }],
        ['conversations.get', { conversationId: directId }],
        ['conversations.members', { conversationId: groupId }],
        ['messages.history', { conversationId: directId }],
        ['messages.send', { conversationId: directId, clientId: 'intruder-1', content: text }],
        ['messages.send', { conversationId: groupId, clientId: 'intruder-2', content: text }],
        ['groups.rename', { conversationId: groupId, title: 'pwned' }],
        ['groups.addMembers', { conversationId: groupId, userIds: [outsider.userId] }],
        ['groups.removeMembers', { conversationId: groupId, userIds: [member.userId] }],
        ['groups.dissolve', { conversationId: groupId }],
        ['groups.setAnnouncement', { conversationId: groupId, text: 'pwned' }],
        ['groups.code', { conversationId: groupId }],
        ['conversations.saveDraft', { conversationId: groupId, text: 'x' }],
        ['moments.get', { id: postId }],
        ['moments.delete', { id: postId }],
        ['moments.setVisibility', { id: postId, visibility: 'everyone' }],
        ['moments.comment', { postId, text: 'x' }],
        ['moments.deleteComment', { commentId }],
        ['files.get', { id: fileId }],
        ['files.link', { id: fileId }],
        ['files.delete', { id: fileId }],
        ['auth.revokeDevice', { sessionId: owner.sessionId }],
      ];
      for (const [name, body] of attempts) {
        const res = await callOp(app, name, body, outsider.accessToken);
        expect([403, 404], `${name} ${JSON.stringify(res.body)}`).toContain(res.status);
      }
      // Nothing changed.
      const group = await mustCall(app, 'conversations.get', { conversationId: groupId }, owner.accessToken);
      expect(group.title).toBe('机密群');
      expect((await mustCall(app, 'moments.get', { id: postId }, owner.accessToken)).visibility).toBe('self');
      expect((await callOp(app, 'files.get', { id: fileId }, owner.accessToken)).status).toBe(200);
      expect((await callOp(app, 'users.me', {}, owner.accessToken)).status).toBe(200);
      const history = await mustCall(
        app,
        'messages.history',
        { conversationId: directId },
        owner.accessToken,
      );
      expect(JSON.stringify(history)).not.toContain('闯入');
    });

    it('refuses a plain group member the owner-only and admin-only group operations', async () => {
      const attempts: Array<[OpName, Record<string, unknown>]> = [
        ['groups.dissolve', { conversationId: groupId }],
        ['groups.setAdmin', { conversationId: groupId, userId: member.userId, admin: true }],
        ['groups.transferOwnership', { conversationId: groupId, userId: member.userId }],
        ['groups.removeMembers', { conversationId: groupId, userIds: [owner.userId] }],
        ['groups.muteAll', { conversationId: groupId, on: true }],
        ['groups.muteMember', { conversationId: groupId, userId: owner.userId, untilMs: null }],
        ['groups.setJoinApproval', { conversationId: groupId, required: true }],
      ];
      for (const [name, body] of attempts) {
        const res = await callOp(app, name, body, member.accessToken);
        expect(res.status, `${name} ${JSON.stringify(res.body)}`).toBe(403);
      }
      const members = await mustCall(
        app,
        'conversations.members',
        { conversationId: groupId },
        owner.accessToken,
      );
      expect(JSON.stringify(members)).toContain(owner.userId);
      expect(
        (await mustCall(app, 'conversations.get', { conversationId: groupId }, owner.accessToken)).ownerId,
      ).toBe(owner.userId);
    });
  });
});
