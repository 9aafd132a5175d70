import { Phone } from '@zhixin/protocol';

// The server's own pattern, so the client never accepts a number the server would refuse.
const PHONE = new RegExp('pattern' in Phone && typeof Phone.pattern === 'string' ? Phone.pattern : '^$');

/** What people type, as the server expects it: spaces, dashes, dots and brackets dropped. */
export function normalizePhone(input: string): string {
  return input.replace(/[\s\-().]/g, '');
}

/** A mainland mobile number (1[3-9] and 9 digits, optionally +86) or another E.164 number with a +. */
export function isValidPhone(input: string): boolean {
  return PHONE.test(normalizePhone(input));
}

/** `13800138000` → `138****8000`; other numbers keep their first and last four characters. */
export function maskPhone(phone: string): string {
  const mainland = /^(?:\+86)?(1\d{10})$/.exec(phone);
  const digits = mainland?.[1] ?? phone;
  if (digits.length <= 7) return digits;
  const head = mainland ? 3 : 4;
  return `${digits.slice(0, head)}${'*'.repeat(digits.length - head - 4)}${digits.slice(-4)}`;
}

/** The last four digits of a phone number ('' when there are fewer). */
export function phoneTail(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  return digits.length >= 4 ? digits.slice(-4) : '';
}
