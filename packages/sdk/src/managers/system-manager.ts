import type { ClientPolicy, OpenApiDocument, SystemSettings, SystemSettingsPatch } from '@zhixin/protocol';
import type { Call } from '../transport.ts';

export type { ClientPolicy, OpenApiDocument, SystemSettings, SystemSettingsPatch };

/**
 * Runtime system settings (watermark, recall window, registration, SMS gateway) and the API
 * catalogue. Reading the settings takes an operator, changing them an administrator.
 */
export class SystemManager {
  constructor(private readonly call: Call) {}

  /**
   * The settings in force. The SMS gateway's secret is never returned, only whether it is set.
   * @example
   * const { recallWindowSeconds, sms } = await client.system.settings();
   */
  settings(): Promise<SystemSettings> {
    return this.call('system.settings', {});
  }

  /**
   * Change some settings (administrators); every node applies them within seconds. An empty
   * `sms.httpAuthorization` clears the secret.
   * @example
   * await client.system.updateSettings({ registrationOpen: false, recallWindowSeconds: 300 });
   */
  updateSettings(patch: SystemSettingsPatch): Promise<SystemSettings> {
    return this.call('system.updateSettings', patch);
  }

  /**
   * Send a test SMS (code 000000) through the gateway in force (administrators).
   * @example
   * await client.system.testSms('13800138000');
   */
  async testSms(phone: string): Promise<void> {
    await this.call('system.testSms', { phone });
  }

  /**
   * What every signed-in client applies: the watermark template and the recall window.
   * @example
   * const { watermarkTemplate } = await client.system.clientPolicy();
   */
  clientPolicy(): Promise<ClientPolicy> {
    return this.call('system.clientPolicy', {});
  }

  /**
   * The OpenAPI document of the REST API (operators), for a generated API reference.
   * @example
   * const doc = await client.system.apiCatalogue();
   * console.log(Object.keys(doc.paths).length, 'paths');
   */
  apiCatalogue(): Promise<OpenApiDocument> {
    return this.call('system.apiCatalogue', {});
  }
}
