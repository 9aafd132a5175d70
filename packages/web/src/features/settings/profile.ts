import type { ProfilePatch } from '@zhixin/sdk';
import { client } from '../../app/client.ts';
import { setMe } from '../../app/session.ts';
import { putProfiles } from '../../data/people.ts';

export const NICKNAME_MAX = 32;
export const SIGNATURE_MAX = 120;

/** Edit my profile; the session and the people store (my name in chats) follow at once. */
export async function saveProfile(patch: ProfilePatch): Promise<void> {
  const me = await client.users.updateMe(patch);
  setMe(me);
  putProfiles([
    {
      id: me.id,
      nickname: me.nickname,
      avatarFileId: me.avatarFileId,
      signature: me.signature,
      account: me.account,
    },
  ]);
}

/** Why a nickname cannot be saved (a key of `settings:profile`), or null. Counted in characters. */
export function nicknameProblem(value: string): string | null {
  const n = Array.from(value.trim()).length;
  if (n === 0) return 'nicknameRequired';
  return n > NICKNAME_MAX ? 'nicknameLong' : null;
}

export function signatureProblem(value: string): string | null {
  return Array.from(value.trim()).length > SIGNATURE_MAX ? 'signatureLong' : null;
}

/** The 致信号 rule, as the server checks it. */
export const ACCOUNT_PATTERN = /^[A-Za-z][A-Za-z0-9_-]{5,19}$/;

/** Set my 致信号; the session follows. */
export async function saveAccount(account: string): Promise<void> {
  setMe(await client.users.setAccount(account.trim()));
}
