import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ErrorCatalog, Operations, pathParams } from './index.ts';

const doc = readFileSync(new URL('../../../docs/PROTOCOL.md', import.meta.url), 'utf8');

describe('the operations table', () => {
  it('takes every path parameter from the request schema', () => {
    for (const [name, def] of Object.entries(Operations)) {
      const props = Object.keys((def.request as { properties?: object }).properties ?? {});
      for (const p of pathParams(def.path)) expect(props, `${name} lacks ${p}`).toContain(p);
    }
  });

  it('gives every route a distinct method and path', () => {
    const seen = new Set<string>();
    for (const def of Object.values(Operations)) {
      const key = `${def.method} ${def.path.replace(/\{[A-Za-z][A-Za-z0-9]*\}/g, '{}')}`;
      expect(seen.has(key), key).toBe(false);
      seen.add(key);
    }
  });

  it('is documented in docs/PROTOCOL.md, operation by operation and code by code', () => {
    for (const name of Object.keys(Operations)) expect(doc).toContain(`\`${name}\``);
    for (const code of Object.keys(ErrorCatalog)) expect(doc).toContain(`\`${code}\``);
  });
});
