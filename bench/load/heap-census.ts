import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

/**
 * A census of a V8 heap snapshot: objects counted and their own (shallow) sizes summed by kind and
 * constructor. Two censuses taken before and after opening N connections, divided by N, say what
 * one connection costs and in which objects (`npx tsx bench/load/heap-census.ts before after N`).
 */
export interface CensusRow {
  /** `object:WebSocket`, `closure:onMessage`, `array`, `string`, ... */
  key: string;
  count: number;
  bytes: number;
}

interface HeapSnapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
}

/** Kinds whose name tells the constructor or function; the others are counted by kind alone. */
const NAMED_KINDS = new Set(['object', 'closure', 'native', 'hidden']);

/** Count and shallow bytes per kind/constructor of a parsed heap snapshot. */
export function censusOf(snap: HeapSnapshot): Map<string, CensusRow> {
  const fields = snap.snapshot.meta.node_fields;
  const kinds = snap.snapshot.meta.node_types[0];
  const width = fields.length;
  const typeAt = fields.indexOf('type');
  const nameAt = fields.indexOf('name');
  const sizeAt = fields.indexOf('self_size');
  const rows = new Map<string, CensusRow>();
  for (let i = 0; i < snap.nodes.length; i += width) {
    const kind = kinds[snap.nodes[i + typeAt] as number] ?? '?';
    const key = NAMED_KINDS.has(kind) ? `${kind}:${snap.strings[snap.nodes[i + nameAt] as number]}` : kind;
    let row = rows.get(key);
    if (!row) rows.set(key, (row = { key, count: 0, bytes: 0 }));
    row.count++;
    row.bytes += snap.nodes[i + sizeAt] as number;
  }
  return rows;
}

/** What grew between two censuses, per unit (e.g. per connection), largest first. */
export function growthPer(
  before: Map<string, CensusRow>,
  after: Map<string, CensusRow>,
  units: number,
): CensusRow[] {
  const rows: CensusRow[] = [];
  for (const [key, a] of after) {
    const b = before.get(key);
    rows.push({
      key,
      count: (a.count - (b?.count ?? 0)) / units,
      bytes: (a.bytes - (b?.bytes ?? 0)) / units,
    });
  }
  return rows.sort((x, y) => y.bytes - x.bytes);
}

export function censusOfFile(path: string): Map<string, CensusRow> {
  return censusOf(JSON.parse(readFileSync(path, 'utf8')) as HeapSnapshot);
}

/** Rows as aligned text: count and bytes per unit, then the key. */
export function formatGrowth(rows: CensusRow[], top = 30): string {
  const total = rows.reduce((sum, r) => sum + r.bytes, 0);
  const lines = rows
    .slice(0, top)
    .map((r) => `${r.count.toFixed(2).padStart(9)} ${r.bytes.toFixed(0).padStart(7)} B  ${r.key}`);
  return [`    count   bytes    (per unit; all rows: ${total.toFixed(0)} B)`, ...lines].join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [beforePath, afterPath, units] = process.argv.slice(2);
  if (!beforePath || !afterPath) {
    console.error('usage: heap-census.ts BEFORE.heapsnapshot AFTER.heapsnapshot [UNITS]');
    process.exit(2);
  }
  const rows = growthPer(censusOfFile(beforePath), censusOfFile(afterPath), Number(units ?? 1));
  console.log(formatGrowth(rows, 40));
}
