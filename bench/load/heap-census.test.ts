import { describe, expect, it } from 'vitest';
import { censusOf, formatGrowth, growthPer } from './heap-census.ts';

/** A heap snapshot in V8's layout: nodes as flat rows of [type, name, id, self_size, edge_count]. */
function snapshot(rows: Array<[string, string, number]>) {
  const kinds = ['hidden', 'array', 'string', 'object', 'closure'];
  const strings: string[] = [];
  const str = (s: string) => (strings.includes(s) ? strings.indexOf(s) : strings.push(s) - 1);
  const nodes = rows.flatMap(([kind, name, size], i) => [kinds.indexOf(kind), str(name), i + 1, size, 0]);
  return {
    snapshot: {
      meta: { node_fields: ['type', 'name', 'id', 'self_size', 'edge_count'], node_types: [kinds] },
    },
    nodes,
    strings,
  } as Parameters<typeof censusOf>[0];
}

describe('heap census', () => {
  it('counts objects by constructor and other kinds by kind, with their shallow sizes', () => {
    const rows = censusOf(
      snapshot([
        ['object', 'WebSocket', 224],
        ['object', 'WebSocket', 224],
        ['closure', 'onMessage', 56],
        ['array', '', 32],
        ['array', '(object properties)', 256],
        ['string', 'hello', 24],
      ]),
    );
    expect(rows.get('object:WebSocket')).toEqual({ key: 'object:WebSocket', count: 2, bytes: 448 });
    expect(rows.get('closure:onMessage')).toEqual({ key: 'closure:onMessage', count: 1, bytes: 56 });
    expect(rows.get('array')).toEqual({ key: 'array', count: 2, bytes: 288 });
    expect(rows.get('string')?.bytes).toBe(24);
  });

  it('gives the growth per unit between two censuses, largest first', () => {
    const before = censusOf(snapshot([['object', 'Server', 100]]));
    const after = censusOf(
      snapshot([
        ['object', 'Server', 100],
        ...Array.from({ length: 10 }, (): [string, string, number] => ['object', 'Connection', 160]),
        ...Array.from({ length: 20 }, (): [string, string, number] => ['closure', 'listener', 56]),
      ]),
    );
    const growth = growthPer(before, after, 10);
    expect(growth.map((r) => [r.key, r.count, r.bytes])).toEqual([
      ['object:Connection', 1, 160],
      ['closure:listener', 2, 112],
      ['object:Server', 0, 0],
    ]);
    expect(formatGrowth(growth, 1)).toContain('160 B  object:Connection');
  });
});
