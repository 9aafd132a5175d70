import { randomInt } from 'node:crypto';
import {
  API_PREFIX,
  ErrorCatalog,
  Operations,
  pathParams,
  type ErrorCode,
  type OpName,
} from '@zhixin/protocol';
import type { InjectOptions } from 'fastify';
import { callOp, loginUser, type TestUser } from '../../testing/factories.ts';
import { connectDevice, type TestDevice } from '../../testing/devices.ts';
import { WS_PATH } from '../../gateway/index.ts';
import { JANUS_PROXY_PATH } from '../../modules/meetings/index.ts';
import { registeredRoutes } from '../server.ts';
import {
  CALLER_KINDS,
  refused,
  succeeded,
  type CallerKind,
  type OpCase,
  type RawOutcome,
  type RouteCase,
  type World,
} from './authz.types.ts';

/** A signed-in caller kind (every kind but anonymous). */
export type SignedInKind = Exclude<CallerKind, 'anonymous'>;

/** How a WebSocket answer may take: a loaded CI machine runs suites side by side. */
const WS_TIMEOUT_MS = 15_000;

/** A random private source address, so per-IP limits of sensitive routes never trip. */
export function randomAddress(): string {
  return `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;
}

/** The access token of a caller kind, none for anonymous. */
export function tokenOf(w: World, caller: CallerKind): string | undefined {
  return caller === 'anonymous' ? undefined : w.users[caller].accessToken;
}

/**
 * A raw request as `caller` (bearer token of the world's user, none for anonymous), from a random
 * address: for RouteCase.attempt.
 */
export async function injectAs(w: World, caller: CallerKind, opts: InjectOptions): Promise<RawOutcome> {
  const token = tokenOf(w, caller);
  const res = await w.app.http.inject({
    remoteAddress: randomAddress(),
    ...opts,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...opts.headers },
  });
  return outcomeOf(res.statusCode, res.body);
}

/** Status and (when the body is a JSON error) error code of a response. */
export function outcomeOf(status: number, body: string): RawOutcome {
  try {
    const parsed = JSON.parse(body) as { error?: { code?: unknown } };
    const code = parsed.error?.code;
    return typeof code === 'string' ? { status, code } : { status };
  } catch {
    return { status };
  }
}

/** One WebSocket connection per signed-in caller kind, opened once for the whole run. */
export class CallerSockets {
  private readonly devices = new Map<SignedInKind, Promise<TestDevice>>();

  constructor(
    private readonly w: World,
    private readonly port: number,
  ) {}

  of(caller: SignedInKind): Promise<TestDevice> {
    let device = this.devices.get(caller);
    if (!device) {
      device = connectDevice(this.port, this.w.users[caller]);
      this.devices.set(caller, device);
    }
    return device;
  }

  /** A connection of another session of the caller's user (closed by the caller of this). */
  fresh(user: TestUser): Promise<TestDevice> {
    return connectDevice(this.port, user);
  }

  async close(): Promise<void> {
    for (const device of this.devices.values()) (await device).ws.close();
  }
}

/** The HTTP status an error code carries (the WebSocket frame has the code only). */
function statusOfCode(code: string): number {
  return code in ErrorCatalog ? ErrorCatalog[code as ErrorCode].status : 500;
}

async function requestOf(w: World, kase: OpCase, caller: CallerKind): Promise<Record<string, unknown>> {
  return kase.prepare ? kase.prepare(w, caller) : {};
}

/** The world's user of the caller, or (freshSession) the same user logged in on a new device. */
async function userFor(w: World, kase: OpCase, caller: SignedInKind): Promise<TestUser> {
  const user = w.users[caller];
  return kase.freshSession ? loginUser(w.app, user.phone, user.password) : user;
}

/** One attempt of an operation through its REST route. */
export async function attemptRest(w: World, kase: OpCase, caller: CallerKind): Promise<RawOutcome> {
  const request = await requestOf(w, kase, caller);
  const token = caller === 'anonymous' ? undefined : (await userFor(w, kase, caller)).accessToken;
  const res = await callOp(w.app, kase.op, request, token);
  return res.body.error ? { status: res.status, code: res.body.error.code } : { status: res.status };
}

/** One attempt of an operation as a `req` frame on a real WebSocket connection of the caller. */
export async function attemptWs(
  w: World,
  kase: OpCase,
  caller: SignedInKind,
  sockets: CallerSockets,
): Promise<RawOutcome> {
  const request = await requestOf(w, kase, caller);
  const device = kase.freshSession
    ? await sockets.fresh(await userFor(w, kase, caller))
    : await sockets.of(caller);
  try {
    const frame = await device.ws.request(kase.op, request, WS_TIMEOUT_MS);
    if (frame.ok === true) return { status: 200 };
    const code = (frame.error as { code?: unknown } | undefined)?.code;
    return typeof code === 'string' ? { status: statusOfCode(code), code } : { status: 500 };
  } finally {
    if (kase.freshSession) device.ws.close();
  }
}

function verdict(label: string, allowed: boolean, outcome: RawOutcome): string | null {
  if (allowed ? succeeded(outcome) : refused(outcome)) return null;
  const got = `${outcome.status}${outcome.code ? ` ${outcome.code}` : ''}`;
  return `${label}: expected ${allowed ? 'success' : 'a refusal (401/403/404)'}, got ${got}`;
}

/**
 * An operation refuses anonymous callers with 401 and signed-in ones with 403 or 404: a signed-in
 * caller answered 401 has lost its session (a case ended it), which would make every later refusal
 * of that caller prove nothing.
 */
function tokenMismatch(
  label: string,
  caller: CallerKind,
  allowed: boolean,
  outcome: RawOutcome,
): string | null {
  if (allowed) return null;
  if (caller === 'anonymous' ? outcome.status === 401 : outcome.status !== 401) return null;
  const got = `${outcome.status}${outcome.code ? ` ${outcome.code}` : ''}`;
  return `${label}: expected ${caller === 'anonymous' ? '401' : '403 or 404 (401: the session is gone)'}, got ${got}`;
}

async function attemptSafely(
  label: string,
  attempt: () => Promise<RawOutcome>,
): Promise<RawOutcome | string> {
  try {
    return await attempt();
  } catch (err) {
    return `${label}: threw ${err instanceof Error ? err.message : String(err)}`;
  }
}

/**
 * Every caller kind attempts the operation, through REST and (for `ws: true` operations and
 * signed-in callers) over the WebSocket. Returns one line per broken rule (empty: the rule holds).
 */
export async function verifyOpCase(w: World, kase: OpCase, sockets: CallerSockets): Promise<string[]> {
  const failures: string[] = [];
  for (const caller of CALLER_KINDS) {
    const allowed = kase.allow.includes(caller);
    const attempts: Array<[string, () => Promise<RawOutcome>]> = [
      [`${kase.op} via REST as ${caller}`, () => attemptRest(w, kase, caller)],
    ];
    if (Operations[kase.op].ws && caller !== 'anonymous') {
      attempts.push([`${kase.op} via WS as ${caller}`, () => attemptWs(w, kase, caller, sockets)]);
    }
    for (const [label, attempt] of attempts) {
      const outcome = await attemptSafely(label, attempt);
      const failure =
        typeof outcome === 'string'
          ? outcome
          : (verdict(label, allowed, outcome) ?? tokenMismatch(label, caller, allowed, outcome));
      if (failure) failures.push(failure);
    }
  }
  return failures;
}

/** Every caller kind attempts the route once. Returns one line per broken rule. */
export async function verifyRouteCase(w: World, kase: RouteCase): Promise<string[]> {
  const failures: string[] = [];
  for (const caller of CALLER_KINDS) {
    const label = `${kase.route} as ${caller}`;
    const outcome = await attemptSafely(label, () => kase.attempt(w, caller));
    const failure =
      typeof outcome === 'string' ? outcome : verdict(label, kase.allow.includes(caller), outcome);
    if (failure) failures.push(failure);
  }
  return failures;
}

/** `METHOD /api/v1/path/:param` of an operation, as the REST layer registers it. */
export function routeOfOp(name: OpName): string {
  const def = Operations[name];
  let path = API_PREFIX + def.path;
  for (const p of pathParams(def.path)) path = path.replace(`{${p}}`, `:${p}`);
  return `${def.method} ${path}`;
}

/**
 * The WebSocket upgrades, served by the gateway's upgrade listener beside Fastify (so Fastify does
 * not list them): the gateway's own `/ws` and the meetings' media proxy.
 */
export const UPGRADE_ROUTES: readonly string[] = [`GET ${WS_PATH}`, `GET ${JANUS_PROXY_PATH}`];

/**
 * The routes that need a RouteCase: every registered route but the operations' own, without the
 * HEAD twin Fastify adds beside each GET (and the trailing-slash twin of a prefixed plugin root),
 * plus the WebSocket upgrades.
 */
export function plainRoutes(app: World['app']): string[] {
  const all = new Set([...registeredRoutes(app.http).map(withoutTrailingSlash), ...UPGRADE_ROUTES]);
  const ops = new Set((Object.keys(Operations) as OpName[]).map(routeOfOp));
  return [...all]
    .filter((route) => !ops.has(route))
    .filter((route) => !(route.startsWith('HEAD ') && all.has(`GET ${route.slice(5)}`)))
    .sort();
}

function withoutTrailingSlash(route: string): string {
  return route.length > 1 && route.endsWith('/') && !route.endsWith(' /') ? route.slice(0, -1) : route;
}

/** Names that appear more than once in a list (each once). */
export function duplicates(names: readonly string[]): string[] {
  const seen = new Set<string>();
  const twice = new Set<string>();
  for (const n of names) (seen.has(n) ? twice : seen).add(n);
  return [...twice].sort();
}
