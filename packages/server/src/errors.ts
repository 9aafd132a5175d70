import { ErrorCatalog, type ErrorCode } from '@zhixin/protocol';

/**
 * The one error type services throw. Routes and the gateway turn it into `{error:{code,message,details}}`
 * with the catalog's HTTP status; anything else thrown is an INTERNAL error and is logged.
 */
export class AppError extends Error {
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    readonly details?: unknown,
    message?: string,
  ) {
    super(message ?? ErrorCatalog[code].message);
    this.status = ErrorCatalog[code].status;
  }

  static notFound(what: string): AppError {
    return new AppError('NOT_FOUND', { what }, `${what} not found`);
  }

  static forbidden(reason?: string): AppError {
    return new AppError('FORBIDDEN', reason ? { reason } : undefined);
  }

  static validation(details: unknown): AppError {
    return new AppError('VALIDATION_FAILED', details);
  }

  toBody(): { error: { code: ErrorCode; message: string; details?: unknown } } {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.details === undefined ? {} : { details: this.details }),
      },
    };
  }
}

export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError;
}
