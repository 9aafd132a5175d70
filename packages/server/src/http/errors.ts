import type { FastifyError, FastifyInstance } from 'fastify';
import { AppError } from '../errors.ts';
import type { NotFoundFallback } from './web-static.ts';

/** Map framework errors to the one error model; anything unexpected is INTERNAL and logged. */
function toAppError(err: FastifyError): AppError {
  if (err instanceof AppError) return err;
  const status = err.statusCode ?? 500;
  // The rate-limit plugin throws the body its errorResponseBuilder made (server.ts): keep its wait.
  if (status === 429)
    return new AppError('RATE_LIMITED', (err as { error?: { details?: unknown } }).error?.details);
  if (status === 413) return new AppError('PAYLOAD_TOO_LARGE');
  if (err.validation)
    return AppError.validation(err.validation.map((v) => ({ path: v.instancePath, message: v.message })));
  if (status === 404) return new AppError('ROUTE_NOT_FOUND');
  if (status >= 400 && status < 500) return new AppError('BAD_REQUEST', { reason: err.code }, err.message);
  return new AppError('INTERNAL');
}

/** The error model for every route; `fallback` may answer unmatched requests first (the web client). */
export function installErrorHandlers(app: FastifyInstance, fallback: NotFoundFallback | null = null): void {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    const appErr = toAppError(err);
    if (appErr.code === 'INTERNAL') req.log.error({ err }, 'unhandled error');
    const headers = err.statusCode === 429 ? { 'retry-after': reply.getHeader('retry-after') } : {};
    void reply.status(appErr.status).headers(headers).send(appErr.toBody());
  });
  app.setNotFoundHandler((req, reply) => {
    if (fallback?.(req, reply)) return;
    void reply
      .status(404)
      .send(new AppError('ROUTE_NOT_FOUND', { method: req.method, url: req.url.split('?')[0] }).toBody());
  });
}
