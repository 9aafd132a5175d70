import { Type, type Static } from 'typebox';
import { Id, Timestamp } from './common.ts';
import { DeviceInfo, Session } from './auth.ts';
import { PublicProfile } from './users.ts';

/**
 * The text a security QR code carries: `ZX1.<kind>.<payload>.<mac>` (R-C7). Kinds: `u` a user,
 * `g` a group, `l` a desktop waiting for quick login, `t` a directed transfer.
 */
export const CodeText = Type.String({ minLength: 1, maxLength: 2048 });

/** Days a newly issued user code stays valid; 0 means it never expires. */
export const CodeValidityDays = Type.Integer({ minimum: 0, maximum: 3650 });

/** My own user code (shown as "我的二维码"). */
export const MyCode = Type.Object({
  code: CodeText,
  /** When it stops working; null when it never expires. */
  expiresAt: Type.Union([Timestamp, Type.Null()]),
  /** The validity chosen for my codes (the server's default until I choose); 0: never expires. */
  validityDays: CodeValidityDays,
});
export type MyCode = Static<typeof MyCode>;

export const MyCodeQuery = Type.Object({});
export type MyCodeQuery = Static<typeof MyCodeQuery>;

export const RefreshMyCodeBody = Type.Object(
  { validityDays: Type.Optional(CodeValidityDays) },
  { additionalProperties: false },
);
export type RefreshMyCodeBody = Static<typeof RefreshMyCodeBody>;

export const ResolveCodeBody = Type.Object({ code: CodeText }, { additionalProperties: false });
export type ResolveCodeBody = Static<typeof ResolveCodeBody>;

/** The device a desktop announced when it asked for a quick-login code. */
export const QuickLoginDevice = Type.Object({ name: Type.String(), platform: Type.String() });
export type QuickLoginDevice = Static<typeof QuickLoginDevice>;

/** Where a directed transfer leads: a user (open the direct chat) or a conversation I am in. */
export const TransferTarget = Type.Union([
  Type.Object({ kind: Type.Literal('user'), profile: PublicProfile }),
  Type.Object({ kind: Type.Literal('conversation'), conversationId: Id, title: Type.String() }),
]);
export type TransferTarget = Static<typeof TransferTarget>;

/** What a scanned code means, without acting on it. */
export const ResolvedCode = Type.Union([
  Type.Object({ kind: Type.Literal('user'), profile: PublicProfile }),
  Type.Object({ kind: Type.Literal('group'), conversationId: Id }),
  Type.Object({
    kind: Type.Literal('login'),
    attemptId: Id,
    device: QuickLoginDevice,
    expiresAt: Timestamp,
  }),
  Type.Object({
    kind: Type.Literal('transfer'),
    target: TransferTarget,
    /** The prepared message to put into the composer. */
    message: Type.String(),
  }),
]);
export type ResolvedCode = Static<typeof ResolvedCode>;

/** The longest prepared message of a directed transfer. */
export const TRANSFER_MESSAGE_MAX = 500;

export const CreateTransferBody = Type.Object(
  {
    /** Exactly one of targetUserId and conversationId. */
    targetUserId: Type.Optional(Id),
    conversationId: Type.Optional(Id),
    message: Type.String({ maxLength: TRANSFER_MESSAGE_MAX }),
    /** Absent: the code never expires. From one minute to a year. */
    expiresInMs: Type.Optional(Type.Integer({ minimum: 60_000, maximum: 365 * 24 * 3_600_000 })),
  },
  { additionalProperties: false },
);
export type CreateTransferBody = Static<typeof CreateTransferBody>;

export const TransferCode = Type.Object({
  code: CodeText,
  expiresAt: Type.Union([Timestamp, Type.Null()]),
});
export type TransferCode = Static<typeof TransferCode>;

export const QuickLoginStartBody = Type.Object({ device: DeviceInfo }, { additionalProperties: false });
export type QuickLoginStartBody = Static<typeof QuickLoginStartBody>;

export const QuickLoginAttempt = Type.Object({
  attemptId: Id,
  /** The `l` code the desktop shows as a QR code. */
  code: CodeText,
  /** Proves to the server that a status call comes from the desktop that started the attempt. */
  pollToken: Type.String(),
  expiresAt: Timestamp,
});
export type QuickLoginAttempt = Static<typeof QuickLoginAttempt>;

export const QuickLoginState = Type.Union([
  Type.Literal('pending'),
  Type.Literal('scanned'),
  Type.Literal('confirmed'),
  Type.Literal('declined'),
  Type.Literal('expired'),
]);
export type QuickLoginState = Static<typeof QuickLoginState>;

/** The most a status call waits for a change (long poll). */
export const QUICK_LOGIN_MAX_WAIT_MS = 25_000;

export const QuickLoginStatusBody = Type.Object(
  {
    attemptId: Id,
    pollToken: Type.String({ minLength: 1, maxLength: 128 }),
    /** Wait up to this long for the state to leave `pending`/`scanned` (long poll). */
    waitMs: Type.Optional(Type.Integer({ minimum: 0, maximum: QUICK_LOGIN_MAX_WAIT_MS })),
  },
  { additionalProperties: false },
);
export type QuickLoginStatusBody = Static<typeof QuickLoginStatusBody>;

export const QuickLoginStatus = Type.Object({
  state: QuickLoginState,
  expiresAt: Timestamp,
  /** Who scanned the code (so the desktop can say "请在手机上确认"). */
  scanner: Type.Optional(
    Type.Object({ nickname: Type.String(), avatarFileId: Type.Union([Id, Type.Null()]) }),
  ),
  /** The desktop's new session: given once, with the first `confirmed` answer. */
  session: Type.Optional(Session),
});
export type QuickLoginStatus = Static<typeof QuickLoginStatus>;

export const QuickLoginScanBody = Type.Object({ code: CodeText }, { additionalProperties: false });
export type QuickLoginScanBody = Static<typeof QuickLoginScanBody>;

export const QuickLoginScanned = Type.Object({
  attemptId: Id,
  device: QuickLoginDevice,
  expiresAt: Timestamp,
});
export type QuickLoginScanned = Static<typeof QuickLoginScanned>;

export const QuickLoginConfirmBody = Type.Object(
  { attemptId: Id, allow: Type.Boolean() },
  { additionalProperties: false },
);
export type QuickLoginConfirmBody = Static<typeof QuickLoginConfirmBody>;
