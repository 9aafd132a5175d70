import type { TSchema } from 'typebox';

/** Who may call an operation. */
export type Access = 'public' | 'user' | 'admin';
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
