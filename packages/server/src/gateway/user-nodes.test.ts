import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { newId } from '../platform/ids.ts';
import { packUlid, unpackUlid, UserNodeTable } from './user-nodes.ts';

describe('packUlid', () => {
  it('packs every ULID into four words and back, keeping distinct ids distinct', () => {
    const words = new Uint32Array(4);
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const id = newId(i % 3 === 0 ? Date.now() : Date.now() + i * 7919);
      expect(packUlid(id, words)).toBe(true);
      expect(unpackUlid(words)).toBe(id);
      seen.add(words.join(','));
    }
    for (const id of ['00000000000000000000000000', '7ZZZZZZZZZZZZZZZZZZZZZZZZZ']) {
      expect(packUlid(id, words)).toBe(true);
      expect(unpackUlid(words)).toBe(id);
    }
    expect(seen.size).toBe(2000);
  });

  it('refuses strings that are not ULIDs (left to the ordinary map)', () => {
    const words = new Uint32Array(4);
    for (const id of [
      '',
      'ops',
      '8ZZZZZZZZZZZZZZZZZZZZZZZZZ', // more than 128 bits
      '01arz3ndektsv4rrffq69g5fav', // lower case
      '01ARZ3NDEKTSV4RRFFQ69G5FAI', // I is not Crockford base32
      '01ARZ3NDEKTSV4RRFFQ69G5FA', // 25 characters
      '01ARZ3NDEKTSV4RRFFQ69G5FAVV',
      '01ARZ3NDEKTSV4RRFFQ69G5FA中',
    ])
      expect(packUlid(id, words)).toBe(false);
  });
});

/** The table against a Map of Sets, for any sequence of adds and removes. */
describe('UserNodeTable', () => {
  const ids = Array.from({ length: 200 }, () => newId());
  const odd = ['ops', 'ldap:zhang.san', 'x'];
  const userArb = fc.oneof(
    { weight: 9, arbitrary: fc.constantFrom(...ids) },
    { weight: 1, arbitrary: fc.constantFrom(...odd) },
  );
  const opArb = fc.record({ add: fc.boolean(), user: userArb, node: fc.integer({ min: 0, max: 70 }) });

  it('agrees with a Map of Sets on every add, remove and lookup', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 600 }), fc.constantFrom(2, 16, 1024), (ops, capacity) => {
        // A small first table wraps around its end and doubles several times.
        const table = new UserNodeTable(capacity);
        const model = new Map<string, Set<number>>();
        for (const { add, user, node } of ops) {
          const had = model.get(user);
          if (add) {
            const expected = !had ? 'new' : had.has(node) ? 'had' : 'more';
            expect(table.add(user, node)).toBe(expected);
            if (!had) model.set(user, new Set([node]));
            else had.add(node);
          } else {
            const expected = !had?.has(node) ? 'absent' : had.size === 1 ? 'gone' : 'less';
            expect(table.remove(user, node)).toBe(expected);
            had?.delete(node);
            if (had?.size === 0) model.delete(user);
          }
        }
        expect(table.size).toBe(model.size);
        const out: number[] = [];
        for (const user of [...ids, ...odd]) {
          expect(table.has(user)).toBe(model.has(user));
          const n = table.nodesOf(user, out);
          expect(out.slice(0, n).sort((a, b) => a - b)).toEqual(
            [...(model.get(user) ?? [])].sort((a, b) => a - b),
          );
        }
        for (const node of [0, 31, 32, 70]) {
          const on = [...model].filter(([, nodes]) => nodes.has(node)).map(([u]) => u);
          expect(table.usersOn(node).sort()).toEqual(on.sort());
        }
      }),
      { numRuns: 300 },
    );
  });

  it('grows past many resizes and shrinks back by removal, finding every user on the way', () => {
    const table = new UserNodeTable();
    const many = Array.from({ length: 50_000 }, () => newId());
    many.forEach((u, i) => expect(table.add(u, i % 40)).toBe('new'));
    many.forEach((u, i) => expect(table.add(u, (i + 1) % 40)).toBe('more'));
    expect(table.size).toBe(many.length);
    expect(table.usersOn(39)).toHaveLength(2500);
    // Remove every other user entirely: backward shifts must keep the rest findable.
    many.forEach((u, i) => {
      if (i % 2 === 0) {
        expect(table.remove(u, i % 40)).toBe('less');
        expect(table.remove(u, (i + 1) % 40)).toBe('gone');
      }
    });
    expect(table.size).toBe(many.length / 2);
    const out: number[] = [];
    many.forEach((u, i) => {
      expect(table.has(u)).toBe(i % 2 === 1);
      if (i % 2 === 1) expect(table.nodesOf(u, out)).toBe(2);
    });
  });
});
