import { pinyinInitials } from './collation.ts';

/** The names a contact can be found by. */
export interface SearchableName {
  /** My remark for them; empty when none. */
  remark: string;
  nickname: string;
}

/** A search box's text made comparable: trimmed, lower-case, inner spaces dropped. */
export function normalizeQuery(query: string): string {
  return query.trim().toLowerCase().replace(/\s+/g, '');
}

const LETTERS_ONLY = /^[a-z]+$/;

/**
 * Whether a contact matches a search: the remark or nickname contains the text (any case), or,
 * for a query of Latin letters, the pinyin initials of either start with it ('zs' finds '张三').
 * An empty query matches everyone.
 */
export function matchesName(query: string, name: SearchableName): boolean {
  const q = normalizeQuery(query);
  if (!q) return true;
  const names = [name.remark, name.nickname].filter(Boolean);
  if (names.some((n) => n.toLowerCase().replace(/\s+/g, '').includes(q))) return true;
  return LETTERS_ONLY.test(q) && names.some((n) => pinyinInitials(n).startsWith(q));
}
