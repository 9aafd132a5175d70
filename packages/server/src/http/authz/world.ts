import { randomToken } from '../../platform/ids.ts';
import type { App } from '../../app.ts';
import { adminUser, mustCall, registerUser, staffUser } from '../../testing/factories.ts';
import type { World } from './authz.types.ts';

/** A client id for messages sent while building the world or preparing a case. */
export function freshClientId(): string {
  return `authz-${randomToken(9)}`;
}

/**
 * The users and resources every authorization case starts from (authz.types.ts says who is who):
 * four ordinary users, three staff members, one group and one direct chat with one message. Nobody
 * is anybody's friend or contact: a case that needs that builds it in its `prepare`.
 */
export async function buildWorld(app: App): Promise<World> {
  const [stranger, member, groupAdmin, owner] = await Promise.all([
    registerUser(app, { nickname: '路人' }),
    registerUser(app, { nickname: '群成员' }),
    registerUser(app, { nickname: '群管理员' }),
    registerUser(app, { nickname: '群主' }),
  ]);
  const [operator, auditor, admin] = await Promise.all([
    staffUser(app, 'operator'),
    staffUser(app, 'auditor'),
    adminUser(app),
  ]);
  const group = await mustCall(
    app,
    'groups.create',
    { title: '授权测试群', memberIds: [groupAdmin.userId, member.userId] },
    owner.accessToken,
  );
  await mustCall(
    app,
    'groups.setAdmin',
    { conversationId: group.id, userId: groupAdmin.userId, admin: true },
    owner.accessToken,
  );
  const direct = await mustCall(
    app,
    'conversations.openDirect',
    { userId: member.userId },
    owner.accessToken,
  );
  await mustCall(
    app,
    'messages.send',
    { conversationId: direct.id, clientId: freshClientId(), content: { kind: 'text', text: '你好' } },
    owner.accessToken,
  );
  return {
    app,
    users: { stranger, member, groupAdmin, owner, operator, auditor, admin },
    group: { id: group.id },
    direct: { id: direct.id },
  };
}

const endings = new WeakMap<World, Array<() => Promise<void>>>();

/** Run `stop` when the world ends (e.g. a helper server a case started in its `prepare`). */
export function atWorldEnd(w: World, stop: () => Promise<void>): void {
  const list = endings.get(w) ?? [];
  list.push(stop);
  endings.set(w, list);
}

/** Stop what the cases started, then the app. */
export async function endWorld(w: World): Promise<void> {
  for (const stop of endings.get(w) ?? []) await stop();
  await w.app.close();
}
