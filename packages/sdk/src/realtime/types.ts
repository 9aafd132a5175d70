import type { EventFrame, HeartbeatMode, HelloFrame } from '@zhixin/protocol';
import type { ZhixinError } from '../errors.ts';
import type { Timers } from '../platform/timers.ts';
import type { WebSocketConstructor } from '../platform/websocket.ts';
import type { ReconnectPolicy } from './reconnect-policy.ts';

export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'disconnected';

/** Payload of every state change. */
export interface ConnectionStateChange {
  state: ConnectionState;
  previous: ConnectionState;
  /** The server's close reason (a `CloseReason` value), or `'client'` after `close()`. */
  reason?: string;
  error?: ZhixinError;
  /** When reconnecting: the number of the attempt about to be made (1-based) and the wait before it. */
  attempt?: number;
  delayMs?: number;
}

export interface RealtimeEvents {
  state: ConnectionStateChange;
  /** Every successful (re)authentication. */
  hello: HelloFrame;
  /** Every server-pushed event, raw (versioned names). */
  event: EventFrame;
  /** The session cannot be used: revoked, or refused even after a refresh. The connection stopped. */
  'auth.lost': ZhixinError;
}

/** How the connection gets and renews its credentials, without knowing where they live. */
export interface RealtimeAuth {
  /** The current access token; undefined when logged out. */
  accessToken(): Promise<string | undefined>;
  /** Whether the token is already known to be expired (then it is refreshed before use). */
  isExpired?(): boolean;
  /** Renew the access token (single flight); rejects with a ZhixinError. */
  refresh(): Promise<void>;
}

export interface RealtimeOptions {
  /** `ws(s)://host/ws` (see `webSocketUrl`). */
  url: string;
  auth: RealtimeAuth;
  /** Default: `globalThis.WebSocket`. In Node 20 pass `WebSocket` from the `ws` package. */
  WebSocket?: WebSocketConstructor;
  reconnectPolicy?: ReconnectPolicy;
  timers?: Timers;
  /** Per request; default 15 s. */
  requestTimeoutMs?: number;
  /** From opening the socket to `hello`; default 15 s. */
  connectTimeoutMs?: number;
  /**
   * Who keeps the link alive (protocol `HeartbeatMode`); default `server`: the server pings when the
   * link is quiet and this client answers, which costs a server far less than a ping from every
   * client. A server that does not offer it answers `client` mode, and then this client pings.
   */
  heartbeat?: HeartbeatMode;
}
