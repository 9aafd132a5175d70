import { API_PREFIX, Operations, pathParams, type OpName } from '@zhixin/protocol';
import { ZhixinError } from '../errors.ts';

/** One HTTP request, ready for `fetch`. */
export interface HttpRequest {
  method: string;
  url: string;
  /** JSON text, for methods other than GET and DELETE. */
  body?: string;
}

function trimSlash(baseUrl: string): string {
  return baseUrl.replace(/\/+$/, '');
}

function queryValue(v: unknown): string {
  return typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
}

/**
 * Bind an operation's request to HTTP the way the server does: `{name}` path segments are filled
 * from the request (URL-encoded), the other fields go to the query string (GET, DELETE; numbers and
 * booleans as strings; undefined left out) or to a JSON body.
 *
 * @example
 * buildHttpRequest('https://im.example', 'messages.history', { conversationId: 'c1', afterSeq: 5 });
 * // { method: 'GET', url: 'https://im.example/api/v1/conversations/c1/messages?afterSeq=5' }
 */
export function buildHttpRequest(baseUrl: string, name: OpName, request: object): HttpRequest {
  const def = Operations[name];
  const rest: Record<string, unknown> = { ...(request as Record<string, unknown>) };
  let path = def.path;
  for (const param of pathParams(def.path)) {
    const value = rest[param];
    if (value === undefined || value === null || value === '') {
      throw new ZhixinError('VALIDATION_FAILED', `${name}: missing path parameter "${param}"`, {
        status: 0,
        details: [{ path: `/${param}`, message: 'required' }],
      });
    }
    path = path.replace(`{${param}}`, encodeURIComponent(queryValue(value)));
    delete rest[param];
  }
  const url = trimSlash(baseUrl) + API_PREFIX + path;
  if (def.method === 'GET' || def.method === 'DELETE') {
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(rest)) {
      if (value !== undefined) query.append(key, queryValue(value));
    }
    const qs = query.toString();
    return { method: def.method, url: qs ? `${url}?${qs}` : url };
  }
  return { method: def.method, url, body: JSON.stringify(rest) };
}

/**
 * The realtime endpoint of a server: `http(s)` becomes `ws(s)`, then `/ws`.
 *
 * @example
 * webSocketUrl('https://im.example/zx/'); // 'wss://im.example/zx/ws'
 */
export function webSocketUrl(baseUrl: string): string {
  return trimSlash(baseUrl).replace(/^http(s?):\/\//i, (_, s: string) => (s ? 'wss://' : 'ws://')) + '/ws';
}
