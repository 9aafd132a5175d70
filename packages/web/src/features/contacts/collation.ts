/**
 * Ordering and letter sections for Chinese names, without a pinyin dictionary: ICU's zh-CN
 * collation already sorts Han characters by pinyin, so comparing a character against the first
 * character of each pinyin letter ("boundary characters") tells which letter it starts with.
 */

/** The first Han character (in zh-CN collation) of each pinyin initial A..Z; no pinyin starts with I, U or V. */
const BOUNDARIES = Array.from('阿八嚓哒妸发旮哈讥咔垃妈拏噢妑七呥仨他穵夕丫帀');
const BOUNDARY_LETTERS = Array.from('ABCDEFGHJKLMNOPQRSTWXYZ');

/** The section for names that start with neither a letter nor a Han character. */
export const OTHER_SECTION = '#';

const collator = new Intl.Collator('zh-CN', { numeric: true, sensitivity: 'base' });

const HAN = /\p{Script=Han}/u;
const LATIN = /^[A-Za-z]$/;

/** Orders names as a Chinese reader expects (pinyin for Han characters, then Latin). */
export function compareNames(a: string, b: string): number {
  return collator.compare(a, b);
}

/**
 * The pinyin letter ('A'..'Z') a single character starts with, a Latin letter upper-cased, or null
 * for anything else (digits, symbols, emoji).
 */
export function letterOfChar(ch: string): string | null {
  if (LATIN.test(ch)) return ch.toUpperCase();
  if (!HAN.test(ch)) return null;
  let letter: string | null = null;
  for (let i = 0; i < BOUNDARIES.length; i++) {
    if (collator.compare(ch, BOUNDARIES[i] as string) < 0) break;
    letter = BOUNDARY_LETTERS[i] as string;
  }
  return letter;
}

/** The letter section of a name: its first character's letter, else '#'. */
export function initialOf(name: string): string {
  const first = Array.from(name.trim())[0];
  return (first && letterOfChar(first)) ?? OTHER_SECTION;
}

/**
 * The initials of every character of a name, lower-case: '张三' → 'zs', '王Amy' → 'wamy'.
 * Characters without a letter are left out. Used to find '张三' by typing 'zs'.
 */
export function pinyinInitials(name: string): string {
  let out = '';
  for (const ch of name) {
    const letter = letterOfChar(ch);
    if (letter) out += letter.toLowerCase();
  }
  return out;
}

export interface Section<T> {
  /** 'A'..'Z' or '#'. */
  letter: string;
  items: T[];
}

/**
 * Items grouped into letter sections, A..Z then '#', each sorted by name in Chinese order.
 * @example sectionsByInitial(contacts, (c) => c.name)
 */
export function sectionsByInitial<T>(items: readonly T[], nameOf: (item: T) => string): Section<T>[] {
  const keyed = items.map((item) => {
    const name = nameOf(item);
    return { item, name, letter: initialOf(name) };
  });
  keyed.sort((a, b) => compareLetters(a.letter, b.letter) || compareNames(a.name, b.name));
  const sections: Section<T>[] = [];
  for (const { item, letter } of keyed) {
    const last = sections[sections.length - 1];
    if (last?.letter === letter) last.items.push(item);
    else sections.push({ letter, items: [item] });
  }
  return sections;
}

function compareLetters(a: string, b: string): number {
  if (a === b) return 0;
  if (a === OTHER_SECTION) return 1;
  if (b === OTHER_SECTION) return -1;
  return a < b ? -1 : 1;
}
