/** Cell formatting shared by the CSV and XLSX writers. */

/** Excel opens a UTF-8 CSV as UTF-8 (Chinese intact) only when it starts with a byte-order mark. */
export const UTF8_BOM = '\uFEFF';

/**
 * Characters that make a spreadsheet read a cell as a formula (CSV injection, OWASP): such cells get
 * a leading apostrophe, which Excel and WPS show as plain text.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/** A text cell made safe to open in a spreadsheet. */
export function safeText(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** One CSV field: formula-safe, quoted when it holds a comma, quote or line break (RFC 4180). */
export function csvField(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const text = safeText(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(values: readonly (string | number | null)[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}

/** `YYYY-MM-DD HH:mm:ss` in UTC+8 (the organisation's time zone), or '' for none. */
export function formatTime(ms: number | null): string {
  if (ms === null) return '';
  const d = new Date(ms + 8 * 3600_000);
  return d.toISOString().slice(0, 19).replace('T', ' ');
}
