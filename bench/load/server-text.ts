/**
 * Reading the server's text frames in a load agent without parsing most of them: the gateway writes
 * its keys in a fixed order (`{"type":"res","id":…,"ok":…`), so a prefix and a regex tell a frame's
 * kind and a response's outcome; JSON.parse is the fallback if that order ever changes.
 */

export type ServerTextKind = 'hello' | 'event' | 'res' | 'ping' | 'pong' | 'bye' | 'error' | 'other';

/** The kind of a text frame from the server. */
export function serverTextKind(text: string): ServerTextKind {
  if (text.startsWith('{"type":"event"')) return 'event';
  if (text.startsWith('{"type":"res"') || text.includes('"type":"res"')) return 'res';
  if (text === '{"type":"ping"}') return 'ping';
  if (text.startsWith('{"type":"pong"')) return 'pong';
  if (text.startsWith('{"type":"hello"')) return 'hello';
  if (text.startsWith('{"type":"bye"')) return 'bye';
  if (text.startsWith('{"type":"error"')) return 'error';
  return 'other';
}

export interface ResponseHead {
  id: string;
  ok: boolean;
  /** The error code when ok is false. */
  code: string | undefined;
}

const RES_HEAD = /^\{"type":"res","id":"([^"]*)","ok":(true|false)/;
const ERROR_CODE = /"error":\{"code":"([^"]*)"/;

/** The id, outcome and error code of a `res` frame; null if it is not one. */
export function responseHead(text: string): ResponseHead | null {
  const res = RES_HEAD.exec(text);
  if (res) {
    const ok = res[2] === 'true';
    return { id: res[1]!, ok, code: ok ? undefined : ERROR_CODE.exec(text)?.[1] };
  }
  try {
    const frame = JSON.parse(text) as {
      type?: unknown;
      id?: unknown;
      ok?: unknown;
      error?: { code?: unknown };
    };
    if (frame.type !== 'res') return null;
    const ok = frame.ok === true;
    const code = typeof frame.error?.code === 'string' ? frame.error.code : undefined;
    return { id: String(frame.id), ok, code: ok ? undefined : code };
  } catch {
    return null;
  }
}

/** What a `hello` says about the heartbeat: who drives it, and its period if given. */
export function helloHeartbeat(text: string): { serverDriven: boolean; ms: number | undefined } {
  const ms = Number(/"heartbeatMs":(\d+)/.exec(text)?.[1]);
  return { serverDriven: text.includes('"heartbeat":"server"'), ms: ms > 0 ? ms : undefined };
}
