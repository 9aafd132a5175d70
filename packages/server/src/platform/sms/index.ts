import type { Config } from '../../config.ts';
import type { Logger } from '../logger.ts';
import { DevSmsProvider } from './dev.ts';
import { HttpSmsProvider } from './http.ts';

export type { SmsProvider } from './provider.ts';
export { DevSmsProvider } from './dev.ts';
export { HttpSmsProvider, renderSmsBody } from './http.ts';

/** The SMS provider the config names: `dev` logs codes, `http` posts them to a carrier gateway. */
export function createSmsProvider(config: Config['sms'], log: Logger): DevSmsProvider | HttpSmsProvider {
  return config.provider === 'http' ? new HttpSmsProvider(config, log) : new DevSmsProvider(log);
}
