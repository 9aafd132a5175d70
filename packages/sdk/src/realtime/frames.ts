import { CloseCode, CloseReason, type ServerFrame } from '@zhixin/protocol';
import { frameText } from '../platform/websocket.ts';

const REASONS: ReadonlySet<string> = new Set(Object.values(CloseReason));

/** Parse a server frame; anything that is not a JSON object with a `type` is dropped. */
export function parseServerFrame(data: unknown): ServerFrame | undefined {
  const text = frameText(data);
  if (text === undefined) return undefined;
  try {
    const frame = JSON.parse(text) as unknown;
    if (
      typeof frame === 'object' &&
      frame !== null &&
      typeof (frame as { type?: unknown }).type === 'string'
    ) {
      return frame as ServerFrame;
    }
  } catch {
    // A frame we cannot read cannot be acted on.
  }
  return undefined;
}

/** The close reason of a WebSocket close: its reason text when it is one of ours, else from the code. */
export function closeReasonOf(code: number | undefined, reason: string | undefined): string | undefined {
  if (reason && REASONS.has(reason)) return reason;
  for (const [name, value] of Object.entries(CloseCode)) if (value === code) return name;
  return undefined;
}
