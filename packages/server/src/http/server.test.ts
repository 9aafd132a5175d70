import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../app.ts';
import { buildTestApp } from '../testing/app.ts';

describe('the HTTP server core', () => {
  let app: App;
  beforeAll(async () => {
    app = await buildTestApp({ config: { http: { metricsToken: 'scrape-token' } } });
  });
  afterAll(() => app.close());

  it('answers health and readiness', async () => {
    expect((await app.http.inject('/healthz')).json()).toMatchObject({ status: 'ok' });
    expect((await app.http.inject('/readyz')).json()).toMatchObject({ status: 'ready' });
  });

  it('serves Prometheus metrics only to the scraper when a token is set', async () => {
    expect((await app.http.inject('/metrics')).statusCode).toBe(401);
    const res = await app.http.inject({ url: '/metrics', headers: { authorization: 'Bearer scrape-token' } });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('zx_http_requests_total');
  });

  it('serves metrics without a token to this host only', async () => {
    const open = await buildTestApp();
    try {
      const local = await open.http.inject({ url: '/metrics', remoteAddress: '127.0.0.1' });
      expect(local.statusCode).toBe(200);
      const remote = await open.http.inject({ url: '/metrics', remoteAddress: '10.1.2.3' });
      expect(remote.statusCode).toBe(403);
      expect(remote.json()).toMatchObject({ error: { code: 'FORBIDDEN' } });
    } finally {
      await open.close();
    }
  });

  it('publishes an OpenAPI document with every registered operation and Swagger UI', async () => {
    const spec = (await app.http.inject('/api/openapi.json')).json() as {
      paths: Record<string, Record<string, { operationId: string }>>;
    };
    const ids = Object.values(spec.paths).flatMap((p) => Object.values(p).map((o) => o.operationId));
    for (const name of app.ops.registered()) expect(ids).toContain(name);
    expect((await app.http.inject('/api/docs/')).statusCode).toBe(200);
  });

  it('answers unknown routes with the error model', async () => {
    const res = await app.http.inject('/api/v1/nowhere');
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ error: { code: 'ROUTE_NOT_FOUND' } });
  });

  it('answers malformed JSON with BAD_REQUEST, not a 500', async () => {
    const res = await app.http.inject({
      method: 'POST',
      url: '/api/v1/auth/login/password',
      headers: { 'content-type': 'application/json' },
      payload: '{"phone":',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('BAD_REQUEST');
  });

  it('refuses user routes without a token', async () => {
    const res = await app.http.inject('/api/v1/users/me');
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('UNAUTHENTICATED');
  });

  it('sends security headers', async () => {
    const res = await app.http.inject('/healthz');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
  });
});
