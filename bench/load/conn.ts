/**
 * One connection of a ConnPool (conn-pool.ts): a net.Socket with the few fields its handshake, frame
 * parser and local port need, and the shared event handlers (no closure per connection).
 */
import { Socket } from 'node:net';
import type { FailureKind } from './failures.ts';
import type { ParserState } from './frames.ts';

/** Where a connection's socket events go (the pool). */
export interface ConnOwner {
  readonly upgradeBytes: Buffer;
  received(conn: Conn, chunk: Buffer): void;
  errored(conn: Conn, err: NodeJS.ErrnoException): void;
  closed(conn: Conn): void;
}

export const CONNECTING = 0;
export const UPGRADING = 1;
export const AUTH = 2;
export const OPEN = 3;
/** We sent close; waiting for the socket to go. */
export const CLOSING = 4;
/** Accounted for (failed, dropped or closed); the socket may still be emitting its last events. */
export const DONE = 5;

/** The failure a connection lost in this phase (before CLOSING) counts as. */
export function failureOfPhase(phase: number): FailureKind {
  if (phase === OPEN) return 'dropped';
  if (phase === AUTH) return 'authRejected';
  return phase === UPGRADING ? 'upgradeRejected' : 'refused';
}

/** One connection: the socket plus the little state the parser and the handshake need. */
export class Conn extends Socket implements ParserState {
  phase = CONNECTING;
  rest: Buffer | null = null;
  fragments: Buffer[] | null = null;
  fragmentOpcode = 0;
  /** Source address (index) and local port (index into the pool's share; -1: the kernel's choice). */
  addr = 0;
  portIndex = -1;
  portRetries = 0;

  constructor(
    readonly pool: ConnOwner,
    readonly slot: number,
  ) {
    super();
  }
}

export function onConnect(this: Conn): void {
  if (this.phase !== CONNECTING) return;
  this.phase = UPGRADING;
  this.write(this.pool.upgradeBytes);
}

export function onData(this: Conn, chunk: Buffer): void {
  this.pool.received(this, chunk);
}

export function onError(this: Conn, err: NodeJS.ErrnoException): void {
  this.pool.errored(this, err);
}

export function onClose(this: Conn): void {
  this.pool.closed(this);
}
