import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { requestHash, stable } from './messages.codec.ts';

/** The first implementation of `stable`: stored client hashes were made with it, so it is the spec. */
function reference(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(reference).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${reference(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

describe('stable request text', () => {
  it('is exactly the reference text for any JSON-like value, undefined members included', () => {
    const value = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        fc.constant(undefined),
        fc.constant(null),
        fc.boolean(),
        fc.double(),
        fc.integer(),
        fc.string({ unit: 'binary' }),
        fc.array(tie('node'), { maxLength: 5 }),
        fc.dictionary(fc.string({ unit: 'binary', maxLength: 6 }), tie('node'), { maxKeys: 6 }),
      ),
    })).node;
    fc.assert(
      fc.property(value, (v) => {
        expect(stable(v)).toBe(reference(v));
      }),
      { numRuns: 2000 },
    );
  });

  it('sorts keys by code unit and drops undefined members', () => {
    const text = stable({ b: 1, a: [undefined, { d: undefined, c: '汉' }], B: null, '😀': 2, ー: 3 });
    expect(text).toBe('{"B":null,"a":[null,{"c":"汉"}],"b":1,"ー":3,"😀":2}');
    expect(text).toBe(
      reference({ b: 1, a: [undefined, { d: undefined, c: '汉' }], B: null, '😀': 2, ー: 3 }),
    );
  });

  it('keeps the hash of a send request as it was', () => {
    const request = {
      op: 'send',
      conversationId: '01JABCDEFGHJKMNPQRSTVWXYZ0',
      clientId: 'c-1',
      content: { kind: 'text', text: '你好' },
      mentions: [],
    };
    // Computed by the first implementation: a change here orphans every stored client hash.
    expect(requestHash(request)).toBe('fHzHd4cgVNDcgF_g0X4RAb');
  });
});
