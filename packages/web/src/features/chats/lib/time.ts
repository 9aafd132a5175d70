/**
 * Times to the minute, as the chat list and the message list show them. Pure (the caller passes
 * "now"), local time zone.
 *  - today: `14:03`
 *  - yesterday: `昨天 14:03` / `Yesterday 14:03`
 *  - this year: `3月5日 14:03` / `Mar 5 14:03`
 *  - earlier: `2023/3/5 14:03`
 */
export type TimeLanguage = 'zh-CN' | 'en';

const MONTHS_EN = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function startOfDay(d: Date): number {
  return new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
}

/** Whether two times fall on the same local calendar day. */
export function sameDay(a: number, b: number): boolean {
  return startOfDay(new Date(a)) === startOfDay(new Date(b));
}

export function formatTime(at: number, now: number, language: TimeLanguage): string {
  const d = new Date(at);
  const n = new Date(now);
  const hm = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  const today = startOfDay(n);
  const day = startOfDay(d);
  if (day === today) return hm;
  const yesterday = startOfDay(new Date(n.getFullYear(), n.getMonth(), n.getDate() - 1));
  if (day === yesterday) return language === 'en' ? `Yesterday ${hm}` : `昨天 ${hm}`;
  if (d.getFullYear() === n.getFullYear()) {
    return language === 'en'
      ? `${MONTHS_EN[d.getMonth()]} ${d.getDate()} ${hm}`
      : `${d.getMonth() + 1}月${d.getDate()}日 ${hm}`;
  }
  return `${d.getFullYear()}/${d.getMonth() + 1}/${d.getDate()} ${hm}`;
}

/** The language to format in, from the i18n language code. */
export function timeLanguage(lng: string | undefined): TimeLanguage {
  return lng?.startsWith('en') ? 'en' : 'zh-CN';
}
