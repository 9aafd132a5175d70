import type { TSchema } from 'typebox';

import type { Role } from '../users.ts';

/**
 * Who may call an operation: `public` anyone, `user` any signed-in user, `operator` operators and
 * administrators, `auditor` auditors and administrators (read-only evidence), `admin` administrators.
 * Checks on the resource itself (member of the conversation, group admin) are the module's.
 */
export type Access = 'public' | 'user' | 'operator' | 'auditor' | 'admin';

const ROLES_OF: Record<Exclude<Access, 'public'>, readonly Role[]> = {
  user: ['user', 'operator', 'auditor', 'admin'],
  operator: ['operator', 'admin'],
  auditor: ['auditor', 'admin'],
  admin: ['admin'],
};

/** Whether a signed-in user of `role` (null: anonymous) may call an operation of `access`. */
export function roleMayCall(access: Access, role: Role | null): boolean {
  if (access === 'public') return true;
  return role !== null && ROLES_OF[access].includes(role);
}

/** Whether a role is staff (sees the admin console). */
export function isStaff(role: Role | null | undefined): boolean {
  return role === 'operator' || role === 'auditor' || role === 'admin';
}
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * One operation of the API. REST: `method` + `path` under `/api/v1`; `{name}` segments of the path
 * are taken from `request`, the rest of `request` is the query string (GET, DELETE) or the JSON body.
 * WebSocket: when `ws` is true the same request/response travel in `req`/`res` frames named by the key.
 */
export interface OperationDef<Req extends TSchema = TSchema, Res extends TSchema = TSchema> {
  method: HttpMethod;
  path: string;
  request: Req;
  response: Res;
  access: Access;
  ws: boolean;
  summary: string;
  tag: string;
  /** A larger request body than the server's default (`http.bodyLimitBytes`), for bulk imports. */
  bodyLimitBytes?: number;
}

/** Keeps the literal `ws` flag in the type, so `WsOpName` can tell WebSocket operations apart. */
export function op<Req extends TSchema, Res extends TSchema, const W extends boolean>(
  def: OperationDef<Req, Res> & { ws: W },
): OperationDef<Req, Res> & { ws: W } {
  return def;
}
