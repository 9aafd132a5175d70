import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { readFileSync } from 'node:fs';
import type { ServerOptions as HttpServerOptions } from 'node:http';
import type { ServerOptions as HttpsServerOptions } from 'node:https';
import { API_PREFIX } from '@zhixin/protocol';
import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyRequest,
} from 'fastify';
import { ConfigError, type Config } from '../config.ts';
import type { Platform } from '../platform/platform.ts';
import { installErrorHandlers } from './errors.ts';
import { enrichOpenApi } from './openapi.ts';
import { registerWebClient } from './web-static.ts';

/**
 * Node's own guard against slow headers: `headersTimeout`, checked every `connectionsCheckingInterval`
 * (30 s by default, which would let a slowloris client hold a socket for half a minute more).
 */
function slowHeaderGuard(http: Config['http']): {
  headersTimeout: number;
  connectionsCheckingInterval: number;
} {
  const headersTimeout = http.headersTimeoutSeconds * 1000;
  return { headersTimeout, connectionsCheckingInterval: Math.min(5000, Math.ceil(headersTimeout / 2)) };
}

/** Whether a client address is this host (IPv4, IPv6 or IPv4-mapped loopback). */
function isLoopback(ip: string): boolean {
  return ip === '::1' || ip.startsWith('127.') || ip.startsWith('::ffff:127.');
}

/** TLS 1.2 or newer with the configured certificate and key, or plain HTTP; both with the slow-header guard. */
function serverOptions(
  tls: Config['tls'],
  http: Config['http'],
): { https: HttpsServerOptions } | { http: HttpServerOptions } {
  if (!tls.certFile && !tls.keyFile) return { http: slowHeaderGuard(http) };
  if (!tls.certFile || !tls.keyFile)
    throw new ConfigError('tls', 'set both certFile and keyFile, or neither');
  return {
    https: {
      cert: readFileSync(tls.certFile),
      key: readFileSync(tls.keyFile),
      minVersion: 'TLSv1.2',
      ...slowHeaderGuard(http),
    },
  };
}

/** Requests whose bodies are streamed files, exempt from the body deadline (the idle timeout still applies). */
function isUpload(url: string): boolean {
  return url.startsWith(`${API_PREFIX}/uploads`);
}

/**
 * Slow bodies: a client trickling a JSON body a byte at a time never trips the idle timeout, so every
 * request with a body must have it whole (parsed) within `bodyTimeoutSeconds`, or its socket is cut.
 */
function installBodyDeadline(app: FastifyInstance, http: Config['http']): void {
  const timers = new WeakMap<FastifyRequest, NodeJS.Timeout>();
  const clear = async (req: FastifyRequest): Promise<void> => {
    clearTimeout(timers.get(req));
    timers.delete(req);
  };
  app.addHook('onRequest', async (req) => {
    if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS' || isUpload(req.url))
      return;
    const timer = setTimeout(() => {
      req.log.warn({ url: req.url, ip: req.ip }, 'request body too slow; connection closed');
      req.raw.socket.destroy();
    }, http.bodyTimeoutSeconds * 1000);
    timer.unref();
    timers.set(req, timer);
  });
  app.addHook('preValidation', clear);
  app.addHook('onResponse', clear);
  app.addHook('onRequestAbort', clear);
}

const routesOf = new WeakMap<FastifyInstance, string[]>();

/** Collect every route as `METHOD /url` (first hook of all, so plugins' routes are seen too). */
function recordRoutes(app: FastifyInstance): void {
  const routes: string[] = [];
  routesOf.set(app, routes);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routes.push(`${method} ${route.url}`);
  });
}

/** Every route the server registered, as `METHOD /url`: the authorization proof needs a case for each. */
export function registeredRoutes(app: FastifyInstance): readonly string[] {
  return routesOf.get(app) ?? [];
}

/**
 * The Fastify instance with the cross-cutting plugins: security headers, CORS policy, rate limits,
 * OpenAPI, the error model, and the operational endpoints (/healthz, /readyz, /metrics).
 */
export async function createHttpServer(p: Platform, isReady: () => boolean): Promise<FastifyInstance> {
  const { config } = p;
  const app = Fastify({
    ...serverOptions(config.tls, config.http),
    // Slowloris: a silent socket is cut, and keep-alive connections do not linger between requests.
    connectionTimeout: config.http.idleTimeoutSeconds * 1000,
    keepAliveTimeout: config.http.keepAliveTimeoutSeconds * 1000,
    loggerInstance: p.log as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: config.http.bodyLimitBytes,
    trustProxy: config.http.trustProxy,
    forceCloseConnections: true,
    ajv: { customOptions: { coerceTypes: false } },
  });
  recordRoutes(app);
  // Requests are validated by the operation registry (one validator for REST and WebSocket).
  app.setValidatorCompiler(() => () => true);
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  installErrorHandlers(app, await registerWebClient(app, config.web));
  installBodyDeadline(app, config.http);

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
    // Without a token the figures (users online, request counts) stay on this host: a scraper
    // elsewhere on the network needs http.metricsToken.
    if (!token && !isLoopback(req.ip)) {
      return reply.status(403).send({
        error: { code: 'FORBIDDEN', message: 'Metrics are served to this host only; set http.metricsToken' },
      });
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
