import { formatDate, type WatermarkIdentity } from './text.ts';

/** What the web client drew before the template was configurable (and the server's default). */
export const DEFAULT_WATERMARK_TEMPLATE = '{nickname} {phoneTail}\n{date}';

const MAX_LINES = 3;

/**
 * The lines of a tile from the operator's template: `{nickname}`, `{phoneTail}` (last 4 digits of
 * the phone, else the account id), `{account}` (the 致信号, else the id) and `{date}`; a line break
 * starts a new line. Blank lines are dropped; a template that yields nothing falls back to the id.
 */
export function renderWatermark(
  template: string,
  who: WatermarkIdentity & { account?: string | null },
  date: Date,
): string[] {
  const digits = who.phone.replace(/\D/g, '');
  const values: Record<string, string> = {
    nickname: who.nickname.trim(),
    phoneTail: digits.length >= 4 ? digits.slice(-4) : who.id,
    account: who.account?.trim() || who.id,
    date: formatDate(date),
  };
  const lines = template
    .split(/\r?\n/)
    .map((line) => line.replace(/\{(nickname|phoneTail|account|date)\}/g, (_m, k: string) => values[k] ?? ''))
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .filter(Boolean)
    .slice(0, MAX_LINES);
  return lines.length ? lines : [who.id];
}
