import type { Config } from '../../config.ts';
import type { Logger } from '../../platform/logger.ts';
import { DevSmsProvider, HttpSmsProvider, type SmsProvider } from '../../platform/sms/index.ts';

/** The SMS gateway settings in force: the runtime override, else the config. */
export type EffectiveSms = Config['sms'];

/**
 * The SMS provider every module sends through: it asks the runtime settings which gateway is in
 * force at each send, so an administrator's change reaches every node without a restart. While no
 * runtime override exists, the provider built from the config (`fallback`) sends.
 */
export class RuntimeSmsProvider implements SmsProvider {
  private readonly dev: SmsProvider;

  constructor(
    private readonly fallback: SmsProvider,
    private readonly effective: () => Promise<{ overridden: boolean; sms: EffectiveSms }>,
    private readonly log: Logger,
  ) {
    // Switching to `dev` at runtime must never fall back to a configured carrier.
    this.dev = fallback instanceof DevSmsProvider ? fallback : new DevSmsProvider(log);
  }

  async send(phone: string, code: string, purpose: string): Promise<void> {
    const { overridden, sms } = await this.effective();
    if (!overridden) return this.fallback.send(phone, code, purpose);
    if (sms.provider === 'dev') return this.dev.send(phone, code, purpose);
    return new HttpSmsProvider(sms, this.log).send(phone, code, purpose);
  }
}
