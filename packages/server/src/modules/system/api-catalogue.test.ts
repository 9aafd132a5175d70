import { Operations, type OpName } from '@zhixin/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countApis } from '../../../../../scripts/api-count.ts';
import type { App } from '../../app.ts';
import type { OpenApiObject } from '../../http/openapi.ts';
import { buildTestApp, testDialects } from '../../testing/app.ts';
import { callOp, errorOf, mustCall, registerUser, staffUser } from '../../testing/factories.ts';

const METHODS = ['get', 'post', 'put', 'patch', 'delete', 'head'];

describe.each(testDialects())('API catalogue (%s)', (dialect) => {
  let app: App;
  let doc: OpenApiObject;

  beforeAll(async () => {
    app = await buildTestApp({ dialect });
    const res = await app.http.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    doc = JSON.parse(res.payload) as OpenApiObject;
  });
  afterAll(() => app.close());

  function operations() {
    return Object.entries(doc.paths ?? {}).flatMap(([path, item]) =>
      Object.entries(item ?? {})
        .filter(([method]) => METHODS.includes(method))
        .map(([method, op]) => ({ path, method, op: op! })),
    );
  }

  it('lists every operation of the protocol with summary, description, tag, schemas and examples', () => {
    const byId = new Map(operations().map((o) => [o.op.operationId, o]));
    for (const [name, def] of Object.entries(Operations) as [OpName, (typeof Operations)[OpName]][]) {
      const found = byId.get(name);
      expect(found, name).toBeDefined();
      const { path, method, op } = found!;
      expect(path).toBe(`/api/v1${def.path}`);
      expect(method).toBe(def.method.toLowerCase());
      expect(op.summary).toBe(def.summary);
      expect(op.tags).toEqual([def.tag]);
      expect(op.description, name).toContain(def.summary);
      const ok = op.responses?.['200']?.content?.['application/json'];
      expect(ok?.schema, name).toBeDefined();
      expect(ok?.example, name).toBeDefined();
      const body = op.requestBody?.content?.['application/json'];
      if (body) expect(body.example, name).toBeDefined();
      for (const p of op.parameters ?? []) expect(p.example, `${name} ${p.name}`).toBeDefined();
    }
  });

  it('describes the plain routes: exports, images, uploads, file content', () => {
    const paths = Object.keys(doc.paths ?? {});
    for (const p of [
      '/api/v1/exports/{file}',
      '/api/v1/images/{id}',
      '/api/v1/uploads',
      '/api/v1/uploads/{id}',
      '/api/v1/files/{id}/content',
    ])
      expect(paths).toContain(p);
    const exportsRoute = doc.paths?.['/api/v1/exports/{file}']?.get;
    expect(exportsRoute?.description).toContain('byte-order mark');
    expect(doc.tags?.map((t) => t.name)).toEqual(expect.arrayContaining(['exports', 'system', 'friends']));
  });

  // Regression: calls, codes, meetings, moments, opsAccount and presence were listed by their bare
  // names in the API reference page, without saying what the module is about.
  it('describes every module (tag) the reference groups operations by', () => {
    const used = new Set(operations().flatMap(({ op }) => op.tags ?? []));
    expect(doc.tags?.map((t) => t.name).sort()).toEqual([...used].sort());
    for (const tag of doc.tags ?? []) {
      expect(tag.description, tag.name).toBeDefined();
      expect(tag.description, tag.name).not.toBe(tag.name);
    }
  });

  it('gives the same document to operators through system.apiCatalogue, and refuses users', async () => {
    const operator = await staffUser(app, 'operator');
    const user = await registerUser(app);
    const viaOp = await mustCall(app, 'system.apiCatalogue', {}, operator.accessToken);
    expect(Object.keys(viaOp.paths).sort()).toEqual(Object.keys(doc.paths ?? {}).sort());
    expect(errorOf(await callOp(app, 'system.apiCatalogue', {}, user.accessToken))).toEqual({
      status: 403,
      code: 'FORBIDDEN',
    });
    expect(errorOf(await callOp(app, 'system.apiCatalogue', {}))).toEqual({
      status: 401,
      code: 'UNAUTHENTICATED',
    });
  });
});

describe('npm run api:count', () => {
  it('counts REST operations, WebSocket operations and SDK methods', () => {
    const c = countApis();
    expect(c.restOperations).toBe(Object.keys(Operations).length);
    expect(c.wsOperations).toBe(Object.values(Operations).filter((o) => o.ws).length);
    expect(c.sdkClasses.SystemManager).toBe(5);
    expect(c.sdkClasses.ExportsManager).toBe(2);
    expect(c.total).toBe(c.rest + c.wsOperations + c.sdkMethods);
    expect(c.total).toBeGreaterThanOrEqual(300);
  });

  it('finds TSDoc on every public SDK method', () => {
    const c = countApis();
    expect(c.sdkUndocumented).toEqual([]);
    expect(c.sdkWithExample).toBeGreaterThan(c.sdkMethods / 2);
  });
});
