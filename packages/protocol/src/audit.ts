import { Type, type Static } from 'typebox';
import { Id, Timestamp } from './common.ts';

/** What an evidence record is about: file flows (R-T2), sign-ins, staff actions, security events. */
export const AuditCategory = Type.Union([
  Type.Literal('file'),
  Type.Literal('auth'),
  Type.Literal('admin'),
  Type.Literal('security'),
]);
export type AuditCategory = Static<typeof AuditCategory>;

/**
 * One record of the append-only audit log. `hash` chains it to the record before (sha256 over the
 * previous hash and this record as stored), so an edited, inserted or removed row is detectable.
 */
export const AuditRecord = Type.Object({
  seq: Type.Integer({ minimum: 1 }),
  at: Timestamp,
  category: AuditCategory,
  /** What happened, e.g. `file.upload`, `file.forward`, `auth.login`, `admin.user.disable`. */
  action: Type.String(),
  /** Who did it (null: the system, e.g. the retention job). */
  actorId: Type.Union([Id, Type.Null()]),
  /** What it was done to: a file's sha256, a user id, a group id. */
  subject: Type.Union([Type.String(), Type.Null()]),
  conversationId: Type.Union([Id, Type.Null()]),
  /** Users concerned (the recipients of a file, the users an action changed). */
  targetIds: Type.Array(Id),
  deviceId: Type.Union([Type.String(), Type.Null()]),
  ip: Type.Union([Type.String(), Type.Null()]),
  /** Action-specific facts (file name and size, the setting changed, ...). */
  details: Type.Record(Type.String(), Type.Unknown()),
  hash: Type.String(),
});
export type AuditRecord = Static<typeof AuditRecord>;

export const AuditQuery = Type.Object(
  {
    category: Type.Optional(AuditCategory),
    /** An exact action, or a prefix ending in `.` (e.g. `file.`). */
    action: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    actorId: Type.Optional(Id),
    subject: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
    conversationId: Type.Optional(Id),
    from: Type.Optional(Timestamp),
    /** Exclusive upper bound of `at`. */
    to: Type.Optional(Timestamp),
    /** Paging: records with a smaller seq than this (newest first). */
    beforeSeq: Type.Optional(Type.Integer({ minimum: 1 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
  },
  { additionalProperties: false },
);
export type AuditQuery = Static<typeof AuditQuery>;

export const AuditPage = Type.Object({
  records: Type.Array(AuditRecord),
  /** Pass as `beforeSeq` for the next (older) page; null at the start of the log. */
  nextBeforeSeq: Type.Union([Type.Integer(), Type.Null()]),
});
export type AuditPage = Static<typeof AuditPage>;

/** The result of walking the whole chain. */
export const AuditVerification = Type.Object({
  ok: Type.Boolean(),
  /** Records checked. */
  checked: Type.Integer({ minimum: 0 }),
  /** The first record whose hash, link or seq is wrong (null when ok). */
  firstBadSeq: Type.Union([Type.Integer(), Type.Null()]),
  reason: Type.Union([Type.String(), Type.Null()]),
  headSeq: Type.Integer({ minimum: 0 }),
  headHash: Type.String(),
});
export type AuditVerification = Static<typeof AuditVerification>;
