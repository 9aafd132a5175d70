/** Exports of users and behaviour data, friend recommendation, system settings, API catalogue (R-A1, R-R1). */
import { Type, type Static } from 'typebox';
import { Id, Phone, Timestamp } from './common.ts';
import { PublicProfile } from './users.ts';

// ---- Exports ------------------------------------------------------------------------------------

/** `users`: every registered user; `active`: users active in a range; `profiles`: JSON lines for recommendation and profiling. */
export const ExportKind = Type.Union([
  Type.Literal('users'),
  Type.Literal('active'),
  Type.Literal('profiles'),
]);
export type ExportKind = Static<typeof ExportKind>;

/** Spreadsheet formats of the user lists; the profiles export is always JSON lines. */
export const ExportFormat = Type.Union([Type.Literal('xlsx'), Type.Literal('csv'), Type.Literal('jsonl')]);
export type ExportFormat = Static<typeof ExportFormat>;

/** Days of activity are counted in UTC days; `to` is exclusive. At most 366 days. */
export const ExportRange = Type.Object({ from: Timestamp, to: Timestamp });
export type ExportRange = Static<typeof ExportRange>;

export const ExportTicketBody = Type.Object(
  {
    kind: ExportKind,
    format: ExportFormat,
    /** Required for `active` and `profiles` (the activity range). */
    from: Type.Optional(Timestamp),
    to: Type.Optional(Timestamp),
  },
  { additionalProperties: false },
);
export type ExportTicketBody = Static<typeof ExportTicketBody>;

/**
 * A short-lived link to one export: a browser can download it (an `<a href>` cannot send a bearer
 * token), a script may instead call the same path with `Authorization: Bearer` and no ticket.
 */
export const ExportTicket = Type.Object({ url: Type.String(), expiresAt: Timestamp });
export type ExportTicket = Static<typeof ExportTicket>;

export const ExportDescription = Type.Object({
  kind: ExportKind,
  formats: Type.Array(ExportFormat),
  /** The streaming route under /api/v1, e.g. `/exports/users.csv`. */
  paths: Type.Array(Type.String()),
  needsRange: Type.Boolean(),
  columns: Type.Array(Type.String()),
});
export type ExportDescription = Static<typeof ExportDescription>;

export const ExportCatalog = Type.Object({ exports: Type.Array(ExportDescription) });
export type ExportCatalog = Static<typeof ExportCatalog>;

/** One line of the profiles export (JSON lines), per user. */
export const UserBehaviourRecord = Type.Object({
  userId: Id,
  department: Type.Union([Type.String(), Type.Null()]),
  departmentId: Type.Union([Id, Type.Null()]),
  friends: Type.Integer({ minimum: 0 }),
  groups: Type.Integer({ minimum: 0 }),
  messagesSent: Type.Integer({ minimum: 0 }),
  activeDays: Type.Integer({ minimum: 0 }),
  lastActiveAt: Type.Union([Timestamp, Type.Null()]),
  createdAt: Timestamp,
});
export type UserBehaviourRecord = Static<typeof UserBehaviourRecord>;

// ---- Friend recommendation ----------------------------------------------------------------------

/** Why someone is suggested; clients phrase it ("3 位共同好友", "同部门"). */
export const RecommendationReason = Type.Union([
  Type.Object({ kind: Type.Literal('mutualFriends'), count: Type.Integer({ minimum: 1 }) }),
  Type.Object({ kind: Type.Literal('sharedGroups'), count: Type.Integer({ minimum: 1 }) }),
  Type.Object({ kind: Type.Literal('sameDepartment'), department: Type.String() }),
]);
export type RecommendationReason = Static<typeof RecommendationReason>;

export const Recommendation = Type.Object({
  user: PublicProfile,
  score: Type.Number({ minimum: 0 }),
  reasons: Type.Array(RecommendationReason),
});
export type Recommendation = Static<typeof Recommendation>;

export const RecommendationsQuery = Type.Object(
  { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })) },
  { additionalProperties: false },
);
export type RecommendationsQuery = Static<typeof RecommendationsQuery>;

export const RecommendationList = Type.Object({ items: Type.Array(Recommendation) });
export type RecommendationList = Static<typeof RecommendationList>;

// ---- Runtime system settings --------------------------------------------------------------------

export const SmsProviderKind = Type.Union([Type.Literal('dev'), Type.Literal('http')]);
export type SmsProviderKind = Static<typeof SmsProviderKind>;

/** The SMS gateway as operators see it: the authorization secret is never returned, only whether it is set. */
export const SmsSettings = Type.Object({
  provider: SmsProviderKind,
  httpUrl: Type.String({ maxLength: 500 }),
  httpBodyTemplate: Type.String({ maxLength: 2000 }),
  httpTimeoutMs: Type.Integer({ minimum: 100, maximum: 60_000 }),
  httpAuthorizationSet: Type.Boolean(),
});
export type SmsSettings = Static<typeof SmsSettings>;

/**
 * The watermark template: `{nickname}`, `{phoneTail}` (last 4 digits), `{account}` (致信号 or id) and
 * `{date}` are replaced; a line break splits the lines of a tile (at most 3 lines).
 */
export const WatermarkTemplate = Type.String({ minLength: 1, maxLength: 120 });

/** Settings administrators change at runtime; they override the config file on every node. */
export const SystemSettings = Type.Object({
  watermarkTemplate: WatermarkTemplate,
  recallWindowSeconds: Type.Integer({ minimum: 0, maximum: 86_400 }),
  registrationOpen: Type.Boolean(),
  sms: SmsSettings,
  updatedAt: Type.Union([Timestamp, Type.Null()]),
});
export type SystemSettings = Static<typeof SystemSettings>;

export const SmsSettingsPatch = Type.Object(
  {
    provider: Type.Optional(SmsProviderKind),
    httpUrl: Type.Optional(Type.String({ maxLength: 500, pattern: '^(https?://.+)?$' })),
    httpBodyTemplate: Type.Optional(Type.String({ minLength: 2, maxLength: 2000 })),
    httpTimeoutMs: Type.Optional(Type.Integer({ minimum: 100, maximum: 60_000 })),
    /** The Authorization header sent to the gateway; sealed at rest, never returned. Empty clears it. */
    httpAuthorization: Type.Optional(Type.String({ maxLength: 1000 })),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type SmsSettingsPatch = Static<typeof SmsSettingsPatch>;

export const SystemSettingsPatch = Type.Object(
  {
    watermarkTemplate: Type.Optional(WatermarkTemplate),
    recallWindowSeconds: Type.Optional(SystemSettings.properties.recallWindowSeconds),
    registrationOpen: Type.Optional(Type.Boolean()),
    sms: Type.Optional(SmsSettingsPatch),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type SystemSettingsPatch = Static<typeof SystemSettingsPatch>;

/** What every signed-in client needs of the runtime settings. */
export const ClientPolicy = Type.Object({
  watermarkTemplate: WatermarkTemplate,
  recallWindowSeconds: Type.Integer({ minimum: 0 }),
});
export type ClientPolicy = Static<typeof ClientPolicy>;

export const TestSmsBody = Type.Object({ phone: Phone }, { additionalProperties: false });
export type TestSmsBody = Static<typeof TestSmsBody>;

// ---- API catalogue ------------------------------------------------------------------------------

/** The OpenAPI 3.1 document of the REST API (as served at /api/openapi.json). */
export const OpenApiDocument = Type.Object(
  {
    openapi: Type.String(),
    info: Type.Object({ title: Type.String(), version: Type.String() }, { additionalProperties: true }),
    paths: Type.Record(Type.String(), Type.Unknown()),
    /** The modules (tags) with their descriptions, in the order the reference shows them. */
    tags: Type.Optional(
      Type.Array(Type.Object({ name: Type.String(), description: Type.Optional(Type.String()) })),
    ),
  },
  { additionalProperties: true },
);
export type OpenApiDocument = Static<typeof OpenApiDocument>;
