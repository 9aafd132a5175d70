import { AppError } from '../../errors.ts';

/** A position in a newest-first list: items strictly older than it come next. */
export interface Position {
  createdAt: number;
  id: string;
}

const CURSOR = /^([0-9]{1,16})\.([A-Za-z0-9_-]{1,64})$/;

/** Opaque to clients: `<createdAt>.<id>` of the last item of a page. */
export function encodeCursor(p: Position): string {
  return `${p.createdAt}.${p.id}`;
}

export function decodeCursor(cursor: string | undefined): Position | null {
  if (cursor === undefined) return null;
  const m = CURSOR.exec(cursor);
  if (!m) throw new AppError('VALIDATION_FAILED', { field: 'before' }, 'The cursor is malformed');
  return { createdAt: Number(m[1]), id: m[2] as string };
}

/** Newest first: by time, then by id (ids are time-ordered, so ties are rare and stable). */
export function newestFirst(a: Position, b: Position): number {
  if (a.createdAt !== b.createdAt) return b.createdAt - a.createdAt;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

/** Whether `p` comes after (is older than) `cursor` in a newest-first list. */
export function isOlder(p: Position, cursor: Position | null): boolean {
  return cursor === null || newestFirst(cursor, p) < 0;
}

/** One page of a newest-first list and the cursor of the next one. */
export function pageOf<T extends Position>(
  sorted: T[],
  limit: number,
): { items: T[]; nextCursor: string | null } {
  const items = sorted.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: sorted.length > limit && last ? encodeCursor(last) : null };
}
