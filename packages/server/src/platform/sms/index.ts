// PLACEHOLDER: the accounts helper replaces this file.
import type { Config } from '../../config.ts';
import type { Logger } from '../logger.ts';

export interface SmsProvider {
  send(phone: string, code: string, purpose: string): Promise<void>;
}

export function createSmsProvider(_config: Config['sms'], _log: Logger): SmsProvider {
  return { send: async () => {} };
}
