import { API_PREFIX, ErrorBody, Operations, pathParams, type OpName } from '@zhixin/protocol';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type, type TObject, type TSchema } from 'typebox';
import { Value } from 'typebox/value';
import { AppError } from '../errors.ts';
import type { OperationRegistry } from './operations.ts';

/** Stricter per-IP limits (per minute) for operations that guard credentials or cost money (SMS). */
export const SENSITIVE_LIMITS: Partial<Record<OpName, number>> = {
  'auth.sendSmsCode': 10,
  'auth.register': 20,
  'auth.loginPassword': 30,
  'auth.loginSms': 30,
  'auth.resetPassword': 10,
  'auth.refresh': 60,
  'auth.quickLogin.start': 30,
  // Long polls: one call per 25 s is normal; far more means someone is probing attempt ids.
  'auth.quickLogin.status': 240,
};

function bearerOf(req: FastifyRequest): string | undefined {
  const h = req.headers.authorization;
  return h?.startsWith('Bearer ') ? h.slice(7).trim() : undefined;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Register every operation that has a handler as a REST route under /api/v1, with its schema. */
export function registerRestRoutes(app: FastifyInstance, registry: OperationRegistry): void {
  for (const name of registry.registered()) {
    const def = Operations[name];
    const request = def.request as TObject;
    const params = pathParams(def.path);
    const paramsSchema = params.length ? Type.Pick(request, params) : undefined;
    const rest: TSchema = params.length ? Type.Omit(request, params) : request;
    const inQuery = def.method === 'GET' || def.method === 'DELETE';
    app.route({
      method: def.method,
      url: API_PREFIX + def.path.replace(/\{([A-Za-z][A-Za-z0-9]*)\}/g, ':$1'),
      ...('bodyLimitBytes' in def && def.bodyLimitBytes ? { bodyLimit: def.bodyLimitBytes } : {}),
      schema: {
        operationId: name,
        summary: def.summary,
        tags: [def.tag],
        ...(def.access === 'public' ? {} : { security: [{ bearer: [] }] }),
        ...(paramsSchema ? { params: paramsSchema } : {}),
        ...(inQuery ? { querystring: rest } : { body: rest }),
        response: { 200: def.response, default: ErrorBody },
      },
      config: {
        rateLimit: SENSITIVE_LIMITS[name]
          ? { max: SENSITIVE_LIMITS[name], timeWindow: '1 minute' }
          : undefined,
      },
      handler: async (req) => {
        const principal = await registry.principalFor(name, bearerOf(req));
        const rawParams = paramsSchema ? Value.Convert(paramsSchema, { ...(req.params as object) }) : {};
        let input: unknown;
        if (inQuery) {
          input = {
            ...(Value.Convert(rest, { ...(req.query as object) }) as object),
            ...(rawParams as object),
          };
        } else {
          const body = req.body ?? {};
          if (!isPlainObject(body))
            throw AppError.validation([{ path: '/', message: 'body must be a JSON object' }]);
          input = { ...body, ...(rawParams as object) };
        }
        return registry.invoke(name, input, { principal, ip: req.ip });
      },
    });
  }
}
