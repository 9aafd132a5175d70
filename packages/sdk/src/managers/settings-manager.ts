import type { OpRequest, OpResponse } from '@zhixin/protocol';
import type { Call } from '../transport.ts';

export type ClientSettings = OpResponse<'settings.client'>;
export type ClientSettingsPatch = OpRequest<'settings.updateClient'>;

/** The operator's settings for every client: product name, launch and welcome pages, registration. */
export class SettingsManager {
  constructor(private readonly call: Call) {}

  /**
   * What to show before and around sign-in; needs no session.
   * @example
   * const { welcome, registrationOpen } = await client.settings.client();
   */
  client(): Promise<ClientSettings> {
    return this.call('settings.client', {});
  }

  /**
   * Change some of the client settings (administrators only). Image ids must name uploaded images.
   * @example
   * const ref = await client.users.uploadImage('image/png', base64);
   * await client.settings.updateClient({ launch: { imageId: ref.id, durationMs: 1500 } });
   */
  updateClient(patch: ClientSettingsPatch): Promise<ClientSettings> {
    return this.call('settings.updateClient', patch);
  }
}
