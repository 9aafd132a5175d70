import type { App } from '../app.ts';
import { DevSmsProvider } from '../platform/sms/index.ts';

/** The last code the app's DevSmsProvider "sent" to an E.164 phone; throws if none or not dev. */
export function lastSmsCode(app: Pick<App, 'sms'>, phone: string, purpose: string): string {
  if (!(app.sms instanceof DevSmsProvider)) throw new Error('the app does not use the DevSmsProvider');
  const code = app.sms.lastCode(phone, purpose);
  if (!code) throw new Error(`no SMS code was sent to ${phone} for ${purpose}`);
  return code;
}
