// PLACEHOLDER: the gateway helper replaces this file.
import type { Server } from 'node:http';
import type { OperationRegistry } from '../http/operations.ts';
import type { Authenticator } from '../http/principal.ts';
import type { EventSink } from '../platform/events.ts';
import type { Platform } from '../platform/platform.ts';

export interface Gateway {
  readonly events: EventSink;
  attach(server: Server): void;
  close(): Promise<void>;
}

export function createGateway(_deps: { platform: Platform; ops: OperationRegistry; authenticator: () => Authenticator }): Gateway {
  return { events: { emit: () => {} }, attach: () => {}, close: async () => {} };
}
