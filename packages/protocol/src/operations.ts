import type { Static } from 'typebox';
import { AccountOperations } from './operations/accounts.ts';
import { AdminOperations } from './operations/admin.ts';
import { ExportOperations } from './operations/exports.ts';
import { StatsOperations } from './operations/stats.ts';
import { AuditOperations } from './operations/audit.ts';
import { CallOperations } from './operations/calls.ts';
import { MeetingOperations } from './operations/meetings.ts';
import { CodeOperations } from './operations/codes.ts';
import { ContactOperations } from './operations/contacts.ts';
import { FriendOperations } from './operations/friends.ts';
import { GroupOperations } from './operations/groups.ts';
import { DirectoryOperations } from './operations/directory.ts';
import { FileOperations } from './operations/files.ts';
import { MessagingOperations } from './operations/messaging.ts';
import { MomentOperations } from './operations/moments.ts';
import { OpsAccountOperations } from './operations/opsaccount.ts';
import { SettingsOperations } from './operations/settings.ts';

export type { Access, HttpMethod, OperationDef } from './operations/op.ts';
export { isStaff, roleMayCall } from './operations/op.ts';

/** Every REST route and WebSocket operation, typed once (defined by area under `operations/`). */
export const Operations = {
  ...AccountOperations,
  ...CodeOperations,
  ...MessagingOperations,
  ...GroupOperations,
  ...ContactOperations,
  ...FriendOperations,
  ...DirectoryOperations,
  ...SettingsOperations,
  ...OpsAccountOperations,
  ...AuditOperations,
  ...CallOperations,
  ...MeetingOperations,
  ...FileOperations,
  ...StatsOperations,
  ...AdminOperations,
  ...ExportOperations,
  ...MomentOperations,
} as const;

export type Operations = typeof Operations;
export type OpName = keyof Operations;
export type OpRequest<N extends OpName> = Static<Operations[N]['request']>;
export type OpResponse<N extends OpName> = Static<Operations[N]['response']>;
export type WsOpName = { [N in OpName]: Operations[N]['ws'] extends true ? N : never }[OpName];

/** Names of the `{name}` segments of a path template. */
export function pathParams(path: string): string[] {
  return [...path.matchAll(/\{([A-Za-z][A-Za-z0-9]*)\}/g)].map((m) => m[1] as string);
}

export const API_PREFIX = '/api/v1';
