import { CompiledQuery } from 'kysely';
import type { Dialect } from './database.ts';
import { keepPrepared } from './prepared-statements.ts';

/**
 * Shapes for batched SQL whose text repeats, so that SQLite's statement cache (and PostgreSQL's
 * parser, which is fastest on text it has seen) is not handed a new statement for every batch size.
 */

/** The largest key list padded as one statement; longer lists go in several. */
export const MAX_PADDED = 256;

/** The smallest power of two at or above n (at least 1): the size a key list is padded to. */
export function paddedSize(n: number): number {
  let size = 1;
  while (size < n) size *= 2;
  return size;
}

/** A list padded with `filler` to its padded size (lists of at most MAX_PADDED). */
export function padded<T>(items: readonly T[], filler: T): T[] {
  const out = items.slice();
  for (let i = items.length, size = paddedSize(items.length); i < size; i++) out.push(filler);
  return out;
}

/**
 * Key lists of any length as padded parts of at most MAX_PADDED keys, for a lookup `where key in
 * (...)` run once per part. Padded with '' (ids are never empty, so it matches nothing).
 */
export function paddedKeyParts(keys: readonly string[]): string[][] {
  const parts: string[][] = [];
  for (let i = 0; i < keys.length; i += MAX_PADDED) parts.push(padded(keys.slice(i, i + MAX_PADDED), ''));
  return parts;
}

/** `(?, ?), (?, ?)` or `($1, $2), ($3, $4)`: `rows` tuples of `width` parameters from `$first`. */
export function placeholderTuples(dialect: Dialect, rows: number, width: number, first = 1): string {
  const tuples: string[] = [];
  let n = first;
  for (let r = 0; r < rows; r++) {
    const slots: string[] = [];
    for (let c = 0; c < width; c++) slots.push(dialect === 'postgres' ? `$${n++}` : '?');
    tuples.push(`(${slots.join(', ')})`);
  }
  return tuples.join(', ');
}

/** PostgreSQL: `$first::type[], ...`, one array parameter per column, the arguments of `unnest`. */
export function unnestParams(
  columns: ReadonlyArray<readonly [name: string, type: string]>,
  first = 1,
): string {
  return columns.map(([, type], i) => `$${first + i}::${type}[]`).join(', ');
}

/** The values of `unnestParams`: one array per column, of these rows' values. */
export function columnArrays<Row, K extends keyof Row & string>(
  columns: ReadonlyArray<readonly [name: K, type: string]>,
  rows: readonly Row[],
): unknown[][] {
  return columns.map(([name]) => rows.map((r) => r[name]));
}

/**
 * PostgreSQL: `insert into "table" (columns) select * from unnest($1::type[], ...)`, many rows in
 * one statement of the same text for any row count, with one array parameter per column. Returns
 * the statement for a list of rows.
 */
export function unnestInsert<Row, K extends keyof Row & string>(
  table: string,
  columns: ReadonlyArray<readonly [name: K, type: string]>,
): (rows: readonly Row[]) => CompiledQuery {
  const names = columns.map(([name]) => `"${name}"`).join(', ');
  const text = keepPrepared(
    `insert into "${table}" (${names}) select * from unnest(${unnestParams(columns)})`,
  );
  return (rows) => CompiledQuery.raw(text, columnArrays(columns, rows));
}
