import {
  AuthFrame,
  PingFrame,
  PongFrame,
  RequestFrame,
  type ErrorCode,
  type ServerFrame,
  type WsError,
} from '@zhixin/protocol';
import { Compile } from 'typebox/compile';
import { AppError, isAppError } from '../errors.ts';
import type { Logger } from '../platform/logger.ts';

/** A client frame after parsing: one of the protocol's frames, or why it is not one. */
export type ParsedFrame =
  | { kind: 'auth'; frame: AuthFrame }
  | { kind: 'req'; frame: RequestFrame }
  | { kind: 'ping'; frame: PingFrame }
  | { kind: 'pong' }
  /** `id` is set when the frame was recognisably a request, so the error can answer it. */
  | { kind: 'invalid'; error: WsError; id?: string };

const checkAuth = Compile(AuthFrame);
const checkReq = Compile(RequestFrame);
const checkPing = Compile(PingFrame);
const checkPong = Compile(PongFrame);

/** The pong our own clients send, byte for byte: recognised without parsing (one per client per heartbeat). */
const PONG_BYTES = Buffer.from('{"type":"pong"}');

/** Whether a frame is exactly the usual pong (anything else takes the full parse). */
export function isPlainPong(data: Buffer): boolean {
  return data.length === PONG_BYTES.length && data.equals(PONG_BYTES);
}

interface Checker {
  Check(value: unknown): boolean;
  Errors(value: unknown): Iterable<{ instancePath: string; message: string }>;
}

function invalid(checker: Checker, value: unknown, id?: string): ParsedFrame {
  const details = [...checker.Errors(value)]
    .slice(0, 5)
    .map((e) => ({ path: e.instancePath || '/', message: e.message }));
  return {
    kind: 'invalid',
    error: wsError('VALIDATION_FAILED', details),
    ...(id === undefined ? {} : { id }),
  };
}

/** The id of something that tried to be a request, if it is a usable one. */
function requestIdOf(value: Record<string, unknown>): string | undefined {
  const id = value.id;
  return typeof id === 'string' && id.length >= 1 && id.length <= 64 ? id : undefined;
}

/** Parse one text frame; never throws. */
export function parseClientFrame(text: string): ParsedFrame {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { kind: 'invalid', error: wsError('BAD_REQUEST', { reason: 'frame is not JSON' }) };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return {
      kind: 'invalid',
      error: wsError('VALIDATION_FAILED', { reason: 'frame must be a JSON object' }),
    };
  }
  const obj = value as Record<string, unknown>;
  switch (obj.type) {
    case 'auth':
      return checkAuth.Check(obj)
        ? { kind: 'auth', frame: obj as AuthFrame }
        : invalid(checkAuth as Checker, obj);
    case 'req':
      return checkReq.Check(obj)
        ? { kind: 'req', frame: obj as RequestFrame }
        : invalid(checkReq as Checker, obj, requestIdOf(obj));
    case 'ping':
      return checkPing.Check(obj)
        ? { kind: 'ping', frame: obj as PingFrame }
        : invalid(checkPing as Checker, obj);
    case 'pong':
      return checkPong.Check(obj) ? { kind: 'pong' } : invalid(checkPong as Checker, obj);
    default:
      return {
        kind: 'invalid',
        error: wsError('VALIDATION_FAILED', {
          reason: 'unknown frame type',
          types: ['auth', 'req', 'ping', 'pong'],
        }),
      };
  }
}

/** The request id a parsed frame carries, if any: an answer to it can name the request. */
export function idOfParsed(parsed: ParsedFrame): string | undefined {
  return parsed.kind === 'req' ? parsed.frame.id : parsed.kind === 'invalid' ? parsed.id : undefined;
}

/** Best effort: the id of a request refused before it is otherwise looked at (rate limit). */
export function refusedRequestId(data: Buffer | string, isBinary: boolean): string | undefined {
  if (isBinary) return undefined;
  return idOfParsed(parseClientFrame(typeof data === 'string' ? data : data.toString('utf8')));
}

/** A WS error body with the catalog message. */
export function wsError(code: ErrorCode, details?: unknown): WsError {
  return new AppError(code, details).toBody().error;
}

/** What a failed request answers: the AppError as is; anything else is INTERNAL, logged, never leaked. */
export function toWsError(err: unknown, log: Logger, context: Record<string, unknown>): WsError {
  if (isAppError(err)) return err.toBody().error;
  log.error({ err, ...context }, 'websocket request failed');
  return wsError('INTERNAL');
}

/** Serialize a server frame. */
export function encodeFrame(frame: ServerFrame): string {
  return JSON.stringify(frame);
}
