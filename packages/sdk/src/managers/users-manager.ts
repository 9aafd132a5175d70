import type { OpRequest, OpResponse } from '@zhixin/protocol';
import type { Call } from '../transport.ts';

export type Me = OpResponse<'users.me'>;
export type PublicProfile = OpResponse<'users.lookupByPhone'>;
export type ProfilePatch = OpRequest<'users.updateMe'>;
export type Presence = OpResponse<'presence.query'>['presence'][number];
export type Preferences = OpResponse<'users.preferences'>;
export type PreferencesPatch = OpRequest<'users.updatePreferences'>;
export type ImageRef = OpResponse<'images.upload'>;
export type ImageMime = OpRequest<'images.upload'>['mime'];

/** The server takes at most this many ids per call. */
const IDS_PER_CALL = 200;
const PRESENCE_PER_CALL = 1000;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Profiles, presence, my preferences and my images. */
export class UsersManager {
  constructor(private readonly call: Call) {}

  /** @example const me = await client.users.me(); */
  me(): Promise<Me> {
    return this.call('users.me', {});
  }

  /**
   * Edit my profile.
   * @example
   * await client.users.updateMe({ nickname: '小王', signature: '在忙' });
   */
  updateMe(patch: ProfilePatch): Promise<Me> {
    return this.call('users.updateMe', patch);
  }

  /**
   * Public profiles by id (any number: asked for 200 at a time).
   * @example
   * const [alice] = await client.users.profiles([aliceId]);
   */
  async profiles(userIds: readonly string[]): Promise<PublicProfile[]> {
    const unique = [...new Set(userIds)];
    const pages = await Promise.all(
      chunks(unique, IDS_PER_CALL).map((ids) => this.call('users.profiles', { ids: ids.join(',') })),
    );
    return pages.flatMap((p) => p.users);
  }

  /**
   * Set my 致信号 (6–20 characters, a letter first; unique regardless of case). Throws a
   * ZhixinError with code `ACCOUNT_TAKEN` when someone else holds it.
   * @example
   * const me = await client.users.setAccount('wang_li_2026');
   */
  setAccount(account: string): Promise<Me> {
    return this.call('users.setAccount', { account });
  }

  /**
   * Find a user by phone number.
   * @example
   * // administrators only; users search with client.friends.search, which honours privacy
   * const user = await client.users.lookupByPhone('13800138000');
   */
  lookupByPhone(phone: string): Promise<PublicProfile> {
    return this.call('users.lookupByPhone', { phone });
  }

  /**
   * Which of these users are online now (live changes come as `presence` events).
   * @example
   * const online = (await client.users.presence(ids)).filter((p) => p.online);
   */
  async presence(userIds: readonly string[]): Promise<Presence[]> {
    const unique = [...new Set(userIds)];
    const pages = await Promise.all(
      chunks(unique, PRESENCE_PER_CALL).map((ids) => this.call('presence.query', { userIds: ids })),
    );
    return pages.flatMap((p) => p.presence);
  }

  /**
   * My client preferences (font size, language, notifications), the same on all my devices.
   * @example
   * const { fontSize, language } = await client.users.preferences();
   */
  preferences(): Promise<Preferences> {
    return this.call('users.preferences', {});
  }

  /**
   * Change some preferences; the others keep their values. My other devices get a
   * `preferences.updated` event.
   * @example
   * await client.users.updatePreferences({ fontSize: 'large', notifications: { sound: false } });
   */
  updatePreferences(patch: PreferencesPatch): Promise<Preferences> {
    return this.call('users.updatePreferences', patch);
  }

  /**
   * Upload a PNG, JPEG or WebP image of at most 512 KiB; `ref.url` is where it is served.
   * @example
   * const ref = await client.users.uploadImage('image/png', base64);
   * await client.users.updateMe({ avatarFileId: ref.id });
   */
  uploadImage(mime: ImageMime, dataBase64: string): Promise<ImageRef> {
    return this.call('images.upload', { mime, dataBase64 });
  }
}
