import { Operations, roleMayCall, type OpName, type OpRequest, type OpResponse } from '@zhixin/protocol';
import { Compile, type Validator } from 'typebox/compile';
import type { TProperties, TSchema } from 'typebox';
import { AppError } from '../errors.ts';
import type { CallerLimits } from './caller-limits.ts';
import { MAX_JSON_DEPTH, nestsDeeperThan } from './json-depth.ts';
import type { Authenticator, CallContext, Principal } from './principal.ts';
import { staffActionEntry, type StaffActionLog } from './staff-audit.ts';

/** A compiled request validator. */
export type OpValidator = Validator<TProperties, TSchema>;

export type OpHandler<N extends OpName> = (
  req: OpRequest<N>,
  ctx: CallContext & { principal: Principal | null },
) => Promise<OpResponse<N>>;

/** A validation failure, with the first few errors as details. */
export function validationError(validator: OpValidator, value: unknown): AppError {
  const errors = [...validator.Errors(value)]
    .slice(0, 5)
    .map((e) => ({ path: e.instancePath || '/', message: e.message }));
  return AppError.validation(errors);
}

/**
 * Handlers of every operation, registered by the modules. REST routes and the WebSocket gateway
 * both dispatch through here, so validation, access checks and errors are the same on both.
 */
export class OperationRegistry {
  private readonly handlers = new Map<OpName, OpHandler<OpName>>();
  private readonly validators = new Map<OpName, OpValidator>();
  private staffLog: StaffActionLog | null = null;
  private limits: CallerLimits | null = null;

  constructor(private readonly authenticator: () => Authenticator) {}

  /** The authenticator, once the auth module has registered it. */
  authenticatorOrThrow(): Authenticator {
    return this.authenticator();
  }

  /** Record every successful staff action (operator/admin ops other than GET) in this log. */
  setStaffActionLog(log: StaffActionLog): void {
    this.staffLog = log;
  }

  /** Count every call of a limited operation per caller (see caller-limits.ts). */
  setCallerLimits(limits: CallerLimits): void {
    this.limits = limits;
  }

  /** The per-caller limits, for plain routes that count their own actions (uploads). */
  callerLimits(): CallerLimits | null {
    return this.limits;
  }

  register<N extends OpName>(name: N, handler: OpHandler<N>): void {
    if (this.handlers.has(name)) throw new Error(`operation ${name} registered twice`);
    this.handlers.set(name, handler as unknown as OpHandler<OpName>);
  }

  has(name: string): name is OpName {
    return this.handlers.has(name as OpName);
  }

  registered(): OpName[] {
    return [...this.handlers.keys()];
  }

  validator(name: OpName): OpValidator {
    let v = this.validators.get(name);
    if (!v) {
      v = Compile(Operations[name].request) as unknown as OpValidator;
      this.validators.set(name, v);
    }
    return v;
  }

  /** Authenticate (when the op needs it) from a bearer token. */
  async principalFor(name: OpName, bearer: string | undefined): Promise<Principal | null> {
    if (Operations[name].access === 'public') return null;
    if (!bearer) throw new AppError('UNAUTHENTICATED');
    return this.authenticator().verifyAccessToken(bearer);
  }

  /**
   * Validate, authorize and run an operation. `ctx.principal` must already be set for non-public ops.
   * Throws AppError for every caller mistake.
   */
  async invoke<N extends OpName>(name: N, body: unknown, ctx: CallContext): Promise<OpResponse<N>> {
    const handler = this.handlers.get(name);
    if (!handler) throw new AppError('UNKNOWN_OP', { op: name });
    const def = Operations[name];
    if (def.access !== 'public' && !ctx.principal) throw new AppError('UNAUTHENTICATED');
    if (!roleMayCall(def.access, ctx.principal?.role ?? null)) throw AppError.forbidden(`${def.access} only`);
    if (nestsDeeperThan(body, MAX_JSON_DEPTH)) {
      throw AppError.validation([{ path: '/', message: `nested deeper than ${MAX_JSON_DEPTH} levels` }]);
    }
    const validator = this.validator(name);
    if (!validator.Check(body)) throw validationError(validator, body);
    if (ctx.principal) this.limits?.take(name, ctx.principal.userId);
    const result = (await handler(body as OpRequest<OpName>, ctx)) as OpResponse<N>;
    if (this.staffLog && (def.access === 'operator' || def.access === 'admin') && def.method !== 'GET') {
      await this.staffLog.append(staffActionEntry(name, body, ctx.principal?.userId ?? null, ctx.ip));
    }
    return result;
  }
}
