import type { Member } from '@zhixin/sdk';

export type Role = Member['role'];

/**
 * Whether I may manage a member (admin, mute, remove): the owner manages everyone else; admins
 * manage plain members; nobody manages themself or the owner. The server enforces the same rule.
 */
export function mayManage(myRole: Role, myId: string, m: Member): boolean {
  if (m.userId === myId || m.role === 'owner') return false;
  return myRole === 'owner' || (myRole === 'admin' && m.role === 'member');
}
