import type { Member, SystemContent } from '@zhixin/sdk';
import { describe, expect, it } from 'vitest';
import { mayManage } from './roles.ts';
import { systemText } from './systemText.ts';

const names: Record<string, string> = { u1: '王丽', u2: '陈波', u3: '张敏' };
const nameOf = (id: string) => names[id] ?? id;
const t = (key: string, o?: Record<string, unknown>) => `${key} ${JSON.stringify(o ?? {})}`;

describe('systemText', () => {
  it('names the actor, the announcement text and the users concerned', () => {
    const a: SystemContent = { kind: 'system', event: 'announcement', actorId: 'u1', text: '发版' };
    expect(systemText(a, nameOf, t)).toBe('system.announcement {"name":"王丽","text":"发版"}');
    const joined: SystemContent = { kind: 'system', event: 'joined', actorId: 'u1', userIds: ['u2', 'u3'] };
    expect(systemText(joined, nameOf, t)).toBe('system.joined {"names":"陈波、张敏"}');
    const owner: SystemContent = {
      kind: 'system',
      event: 'ownerTransferred',
      actorId: 'u1',
      userIds: ['u3'],
    };
    expect(systemText(owner, nameOf, t)).toBe('system.ownerTransferred {"name":"王丽","target":"张敏"}');
    expect(systemText({ kind: 'system', event: 'dissolved', actorId: 'u1' }, nameOf, t)).toBe(
      'system.dissolved {"name":"王丽"}',
    );
  });
});

describe('mayManage', () => {
  const m = (userId: string, role: Member['role']): Member => ({ userId, role, joinedAt: 0, readSeq: 0 });
  it('follows the server: the owner manages everyone else, admins only plain members', () => {
    expect(mayManage('owner', 'u1', m('u2', 'admin'))).toBe(true);
    expect(mayManage('admin', 'u2', m('u3', 'member'))).toBe(true);
    expect(mayManage('admin', 'u2', m('u4', 'admin'))).toBe(false);
    expect(mayManage('admin', 'u2', m('u1', 'owner'))).toBe(false);
    expect(mayManage('owner', 'u1', m('u1', 'owner'))).toBe(false);
    expect(mayManage('member', 'u3', m('u4', 'member'))).toBe(false);
  });
});
