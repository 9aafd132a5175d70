import type { OpName } from '@zhixin/protocol';
import type { App } from '../../app.ts';
import type { TestUser } from '../../testing/factories.ts';

/**
 * The authorization proof (SECURITY.md, issue 6): every REST route and WebSocket operation has one
 * case saying which kinds of caller may use it; authz.test.ts walks every case with every caller kind
 * through real requests. An operation or route without a case fails that test.
 *
 * The caller kinds, relative to the resources of the shared world (world.ts):
 * - `anonymous`: no token at all;
 * - `stranger`: a signed-in ordinary user with no relation to the resource;
 * - `member`: an ordinary member of the world's group (and the other party of `world.direct`);
 * - `groupAdmin`: an administrator (not the owner) of the world's group;
 * - `owner`: the owner of the world's group, the creator of `world.direct`, and in general the
 *   user the resource belongs to (its author, its uploader, the host of a meeting);
 * - `operator`, `auditor`, `admin`: staff roles, with no membership in the world's resources.
 */
export type CallerKind =
  'anonymous' | 'stranger' | 'member' | 'groupAdmin' | 'owner' | 'operator' | 'auditor' | 'admin';

export const CALLER_KINDS: readonly CallerKind[] = [
  'anonymous',
  'stranger',
  'member',
  'groupAdmin',
  'owner',
  'operator',
  'auditor',
  'admin',
];

/** Handy allow-lists. */
export const ANYONE: readonly CallerKind[] = CALLER_KINDS;
export const SIGNED_IN: readonly CallerKind[] = CALLER_KINDS.filter((c) => c !== 'anonymous');
export const MEMBERS: readonly CallerKind[] = ['member', 'groupAdmin', 'owner'];
export const GROUP_MANAGERS: readonly CallerKind[] = ['groupAdmin', 'owner'];
export const OWNER: readonly CallerKind[] = ['owner'];
export const OPERATORS: readonly CallerKind[] = ['operator', 'admin'];
export const AUDITORS: readonly CallerKind[] = ['auditor', 'admin'];
export const ADMINS: readonly CallerKind[] = ['admin'];

/** The users and resources every case starts from (built once per test run by world.ts). */
export interface World {
  app: App;
  /** The identity behind each signed-in caller kind. */
  users: Record<Exclude<CallerKind, 'anonymous'>, TestUser>;
  /** A group: `owner` owns it, `groupAdmin` administers it, `member` is a member; nobody else is in it. */
  group: { id: string };
  /** A direct chat between `owner` and `member`, with one message from `owner` (seq 1). */
  direct: { id: string };
}

/**
 * What a caller attempts: for an operation, its request (path parameters included, as for callOp).
 * `prepare` runs right before each attempt of a caller (the REST call, then the WebSocket call when
 * the operation has `ws: true`), so a destructive case (delete, dissolve, accept) builds a fresh
 * resource each time; it may create anything it needs with the world's users (through
 * callOp/mustCall) and returns the request for `caller`.
 */
export interface OpCase {
  op: OpName;
  allow: readonly CallerKind[];
  /** The rule in words, as the generated table shows it, e.g. "member of the conversation". */
  rule: string;
  prepare?: (w: World, caller: CallerKind) => Promise<Record<string, unknown>> | Record<string, unknown>;
  /**
   * Call with a new session of the caller's user (the runner logs it in) instead of the world's:
   * for operations that end the calling session (logout), which would sign the world's user out.
   */
  freshSession?: boolean;
}

/** The outcome of one raw attempt: the HTTP status (101 for an accepted WebSocket upgrade). */
export interface RawOutcome {
  status: number;
  code?: string;
}

/**
 * A route that is not an operation of the protocol (uploads, file content, images, exports, the
 * Janus proxy, health and metrics, the web client). `attempt` performs the real request as `caller`.
 */
export interface RouteCase {
  /** `METHOD /path` exactly as Fastify registered it, e.g. `GET /api/v1/images/:id`. */
  route: string;
  allow: readonly CallerKind[];
  rule: string;
  attempt: (w: World, caller: CallerKind) => Promise<RawOutcome>;
}

/** Success for an allowed caller: 2xx (101 for an upgrade). */
export function succeeded(o: RawOutcome): boolean {
  return (o.status >= 200 && o.status < 300) || o.status === 101;
}

/**
 * A refusal: not signed in, not allowed, or (for resources one may not even know about) not found.
 * Validation errors (400) are not refusals: the case must send a valid request.
 */
export function refused(o: RawOutcome): boolean {
  return o.status === 401 || o.status === 403 || o.status === 404;
}
