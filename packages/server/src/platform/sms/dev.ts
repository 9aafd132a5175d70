import type { Logger } from '../logger.ts';
import type { SmsProvider } from './provider.ts';

/**
 * Development provider: writes each code to the log instead of sending it, and remembers the last
 * code per phone and purpose so tests (and the factories) can read it back.
 */
export class DevSmsProvider implements SmsProvider {
  private readonly last = new Map<string, string>();

  constructor(private readonly log: Logger) {}

  async send(phone: string, code: string, purpose: string): Promise<void> {
    this.last.set(`${phone}\0${purpose}`, code);
    // The code is in the message text on purpose: this provider exists to show it to a developer.
    this.log.info({ sms: { phone, purpose } }, `[dev sms] code for ${phone} (${purpose}): ${code}`);
  }

  /** The last code sent to a phone (E.164) for a purpose, if any. */
  lastCode(phone: string, purpose: string): string | undefined {
    return this.last.get(`${phone}\0${purpose}`);
  }
}
