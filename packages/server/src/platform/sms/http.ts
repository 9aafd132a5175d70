import type { Config } from '../../config.ts';
import { AppError } from '../../errors.ts';
import type { Logger } from '../logger.ts';
import type { SmsProvider } from './provider.ts';

/** Fill the body template; values are JSON-escaped because the placeholders sit inside JSON strings. */
export function renderSmsBody(
  template: string,
  values: { phone: string; code: string; purpose: string },
): string {
  return template.replace(/\{(phone|code|purpose)\}/g, (_m, key: 'phone' | 'code' | 'purpose') =>
    JSON.stringify(values[key]).slice(1, -1),
  );
}

/** Posts codes to a carrier's HTTP gateway (config.sms.http*). Non-2xx or timeout: UNAVAILABLE. */
export class HttpSmsProvider implements SmsProvider {
  constructor(
    private readonly config: Config['sms'],
    private readonly log: Logger,
  ) {}

  async send(phone: string, code: string, purpose: string): Promise<void> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (this.config.httpAuthorization) headers.authorization = this.config.httpAuthorization;
    let status: number;
    try {
      const res = await fetch(this.config.httpUrl, {
        method: 'POST',
        headers,
        body: renderSmsBody(this.config.httpBodyTemplate, { phone, code, purpose }),
        signal: AbortSignal.timeout(this.config.httpTimeoutMs),
      });
      status = res.status;
      // Drain the body so the connection can be reused.
      await res.arrayBuffer();
    } catch (err) {
      this.log.warn({ err: (err as Error).message, purpose }, 'SMS gateway unreachable');
      throw new AppError('UNAVAILABLE', { reason: 'sms_gateway' }, 'The SMS gateway is unavailable');
    }
    if (status < 200 || status > 299) {
      this.log.warn({ status, purpose }, 'SMS gateway refused the message');
      throw new AppError('UNAVAILABLE', { reason: 'sms_gateway', status }, 'The SMS gateway is unavailable');
    }
  }
}
