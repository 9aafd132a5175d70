import { Events, type EventBody, type EventName } from '@zhixin/protocol';
import type { ZhixinError } from './errors.ts';
import type { ConnectionStateChange } from './realtime/connection.ts';
import type { SyncResult } from './sync/sync-manager.ts';

type Unversioned<E extends string> = E extends `${infer Base}.v${number}` ? Base : never;

/**
 * The server's events under their names without version (`'message.created.v1'` → `'message.created'`),
 * bodies typed by the protocol's `Events` map. `message.*` events come through sync: in seq order,
 * exactly once, missed ones included.
 */
export type ServerEvents = { [E in EventName as Unversioned<E>]: EventBody<E> };

/** Events the SDK itself raises. */
export interface SdkEvents {
  /** The realtime connection changed state (each reconnect attempt is reported too). */
  'connection.state': ConnectionStateChange;
  /** The session is gone (revoked, or the refresh token refused): log in again. Emitted once per session. */
  'auth.lost': ZhixinError;
  /** A catch-up after (re)connecting finished; carries the conversations changed meanwhile. */
  'sync.completed': SyncResult;
  /** A catch-up or gap pull failed; it is tried again on the next reconnect or gap. */
  'sync.error': ZhixinError;
}

/** Everything `client.on()` accepts. */
export type ZhixinEvents = ServerEvents & SdkEvents;
export type ZhixinEventName = keyof ZhixinEvents;

/** `'typing.v1'` → `'typing'`. */
export function unversioned(event: string): string {
  return event.replace(/\.v\d+$/, '');
}

/** The unversioned names of the server events this SDK knows. */
export const SERVER_EVENT_NAMES: ReadonlySet<string> = new Set(Object.keys(Events).map(unversioned));
