import type { OperationRegistry } from '../http/operations.ts';
import type { EventSink } from '../platform/events.ts';
import type { CodeSigner } from '../platform/crypto/signed-codes.ts';
import type { Platform } from '../platform/platform.ts';

/** What every module is built from: the platform, the operation registry, and the event sink. */
export interface ModuleDeps {
  platform: Platform;
  ops: OperationRegistry;
  events: EventSink;
  /** Signs and checks security codes (QR codes of users, groups, quick login, transfers). */
  codes: CodeSigner;
}

/** Who calls a service: the user and the device (events skip the device that caused them). */
export interface Caller {
  userId: string;
  sessionId: string;
}
