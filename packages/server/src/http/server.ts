import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { readFileSync } from 'node:fs';
import type { ServerOptions as HttpsServerOptions } from 'node:https';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { ConfigError, type Config } from '../config.ts';
import type { Platform } from '../platform/platform.ts';
import { installErrorHandlers } from './errors.ts';
import { enrichOpenApi } from './openapi.ts';
import { registerWebClient } from './web-static.ts';

/** TLS 1.2 or newer with the configured certificate and key, or nothing for plain HTTP. */
function httpsOptions(tls: Config['tls']): { https: HttpsServerOptions } | Record<string, never> {
  if (!tls.certFile && !tls.keyFile) return {};
  if (!tls.certFile || !tls.keyFile)
    throw new ConfigError('tls', 'set both certFile and keyFile, or neither');
  return {
    https: { cert: readFileSync(tls.certFile), key: readFileSync(tls.keyFile), minVersion: 'TLSv1.2' },
  };
}

/**
 * The Fastify instance with the cross-cutting plugins: security headers, CORS policy, rate limits,
 * OpenAPI, the error model, and the operational endpoints (/healthz, /readyz, /metrics).
 */
export async function createHttpServer(p: Platform, isReady: () => boolean): Promise<FastifyInstance> {
  const { config } = p;
  const app = Fastify({
    ...httpsOptions(config.tls),
    loggerInstance: p.log as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: config.http.bodyLimitBytes,
    trustProxy: config.http.trustProxy,
    forceCloseConnections: true,
    ajv: { customOptions: { coerceTypes: false } },
  });
  // Requests are validated by the operation registry (one validator for REST and WebSocket).
  app.setValidatorCompiler(() => () => true);
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  installErrorHandlers(app, await registerWebClient(app, config.web));

  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        // The Vite build has no inline script; antd's CSS-in-JS injects <style> elements.
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        connectSrc: ["'self'", 'ws:', 'wss:'],
        mediaSrc: ["'self'", 'blob:'],
        workerSrc: ["'self'"],
        manifestSrc: ["'self'"],
        // Helmet's default would make browsers fetch every asset and WebSocket over TLS: on a plain
        // HTTP intranet address (http://10.1.2.3:8080) nothing would load. Only behind HTTPS.
        upgradeInsecureRequests: config.publicUrl.startsWith('https:') ? [] : null,
      },
    },
  });
  await app.register(cors, {
    origin: config.http.corsOrigins.length ? config.http.corsOrigins : false,
    credentials: false,
  });
  await app.register(rateLimit, {
    global: true,
    max: config.http.rateLimitPerMinute,
    timeWindow: '1 minute',
    // Only the API is limited: one load of the web client fetches dozens of static files, which
    // would eat a shared budget (users behind one proxy address share it).
    allowList: (req) => !req.url.startsWith('/api/'),
    errorResponseBuilder: (_req, ctx) => ({
      statusCode: 429,
      error: {
        code: 'RATE_LIMITED',
        message: 'Too many requests; slow down',
        details: { retryAfterMs: ctx.ttl },
      },
    }),
  });
  await app.register(swagger, {
    // Descriptions, examples, tag texts and the plain routes (uploads, file content, images).
    transformObject: (d) => ('openapiObject' in d ? enrichOpenApi(d.openapiObject) : d.swaggerObject),
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Zhixin API',
        version: '1',
        description: 'Zhixin (致信) REST API. WebSocket frames: see /ws.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok', node: p.nodeId }));
  app.get('/readyz', { schema: { hide: true } }, async (_req, reply) => {
    if (!isReady())
      return reply.status(503).send({ error: { code: 'UNAVAILABLE', message: 'Starting or stopping' } });
    await p.db.selectFrom('crypto_meta').select('id').limit(1).execute();
    return { status: 'ready', node: p.nodeId };
  });
  app.get('/metrics', { schema: { hide: true } }, async (req, reply) => {
    const token = config.http.metricsToken;
    if (token && req.headers.authorization !== `Bearer ${token}`) {
      return reply
        .status(401)
        .send({ error: { code: 'UNAUTHENTICATED', message: 'Authentication is required' } });
    }
    void reply.header('content-type', p.metrics.registry.contentType);
    return p.metrics.registry.metrics();
  });
  app.addHook('onResponse', async (req, reply) => {
    p.metrics.httpRequests.inc({
      route: req.routeOptions.url ?? 'unknown',
      status: String(reply.statusCode),
    });
  });
  return app;
}
