import fc from 'fast-check';
import { API_PREFIX, Operations, pathParams, type OpName } from '@zhixin/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../app.ts';
import { buildTestApp } from '../testing/app.ts';
import { adminUser, registerUser } from '../testing/factories.ts';
import { guardedRowCounts } from './attacks/row-counts.ts';

/** Values that often break hand-written parsers. */
const nasty = fc.oneof(
  fc.anything(),
  fc.string(),
  fc.constantFrom(
    '',
    ' ',
    '0',
    '-1',
    '1e309',
    'NaN',
    'null',
    '[]',
    '{}',
    '__proto__',
    '%00',
    '../..',
    '😀'.repeat(3000),
  ),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
);

/**
 * A query-string value for anything. Regression: `String(v)` throws for the prototype-less objects
 * fc.anything() makes, which failed the property in the harness instead of testing the server.
 */
function queryText(v: unknown): string {
  try {
    return String(v);
  } catch {
    return Object.prototype.toString.call(v);
  }
}

/** A body shaped like the operation's request, with each field replaced by something random. */
function mutatedBody(name: OpName): fc.Arbitrary<unknown> {
  const props = Object.keys((Operations[name].request as { properties?: object }).properties ?? {});
  const shaped = fc.record(Object.fromEntries(props.map((p) => [p, nasty])), { requiredKeys: [] });
  return fc.oneof(shaped, fc.anything(), fc.constantFrom(null, [], 'text', 42));
}

describe('REST routes under random input', () => {
  let app: App;
  let tokens: Record<'none' | 'user' | 'admin', string | undefined>;
  beforeAll(async () => {
    app = await buildTestApp();
    tokens = {
      none: undefined,
      user: (await registerUser(app)).accessToken,
      admin: (await adminUser(app)).accessToken,
    };
  });
  afterAll(() => app.close());

  // Logging out would end the fuzzing session itself; tokens.test.ts attacks it.
  const fuzzed = (): OpName[] => app.ops.registered().filter((n) => n !== 'auth.logout');

  it('covers every registered operation but logout', async () => {
    expect(fuzzed().length).toBe(app.ops.registered().length - 1);
    const counts = await guardedRowCounts(app);
    expect(Object.keys(counts).length).toBeGreaterThan(20);
    expect(counts.users).toBeGreaterThanOrEqual(2);
  });

  /**
   * Every operation, as anonymous, a user and an administrator (so staff operations reach their
   * validators): never 500, always the error model, and a refused request changes no guarded table.
   */
  it.each(Object.keys(Operations).filter((n) => n !== 'auth.logout') as OpName[])(
    '%s never answers 500 and a refusal writes nothing',
    async (name) => {
      if (!app.ops.has(name)) return; // declared but not served by this build
      const def = Operations[name];
      await fc.assert(
        fc.asyncProperty(
          mutatedBody(name),
          fc.string({ maxLength: 40 }),
          fc.constantFrom('none' as const, 'user' as const, 'admin' as const),
          fc.context(),
          async (body, param, who, ctx) => {
            let url = API_PREFIX + def.path;
            for (const p of pathParams(def.path))
              url = url.replace(`{${p}}`, encodeURIComponent(param || 'x'));
            const inQuery = def.method === 'GET' || def.method === 'DELETE';
            const query =
              inQuery && body && typeof body === 'object' && !Array.isArray(body)
                ? '?' +
                  new URLSearchParams(Object.entries(body).map(([k, v]) => [k, queryText(v)])).toString()
                : '';
            const token = tokens[who];
            const before = await guardedRowCounts(app);
            const res = await app.http.inject({
              method: def.method,
              url: url + query,
              headers: {
                'content-type': 'application/json',
                ...(token ? { authorization: `Bearer ${token}` } : {}),
              },
              ...(inQuery ? {} : { payload: JSON.stringify(body) ?? 'null' }),
            });
            ctx.log(`${name} as ${who}: ${res.statusCode} ${res.body.slice(0, 200)}`);
            expect(res.statusCode).toBeLessThan(500);
            if (res.statusCode >= 400) {
              expect(res.json()).toMatchObject({ error: { code: expect.any(String) } });
              expect(await guardedRowCounts(app)).toEqual(before);
            }
          },
        ),
        { numRuns: 8 },
      );
    },
  );

  it('refuse bodies that are not JSON objects with a typed error', async () => {
    for (const payload of ['[]', '"text"', '42', 'null', '{"a":', '\u0000']) {
      const res = await app.http.inject({
        method: 'POST',
        url: `${API_PREFIX}/auth/login/password`,
        headers: { 'content-type': 'application/json' },
        payload,
      });
      expect(res.statusCode, payload).toBe(400);
      expect(['BAD_REQUEST', 'VALIDATION_FAILED']).toContain(res.json().error.code);
    }
  });
});
