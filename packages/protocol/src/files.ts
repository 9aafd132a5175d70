import { Type, type Static } from 'typebox';
import { Id, Timestamp } from './common.ts';

/** The largest file one upload may carry (R-L3). The operator may set a lower limit. */
export const MAX_FILE_BYTES = 1024 ** 3;

/**
 * Uploads use the tus 1.0 protocol at `POST /api/v1/uploads` (creation, creation-with-upload,
 * termination, checksum sha1/sha256 per PATCH), with `Authorization: Bearer <access token>` on
 * every request. The upload id in the Location URL is the file id. `Upload-Metadata` keys:
 */
export const UPLOAD_METADATA = {
  /** The file's name as the user sees it (no path; the server keeps only the last segment). */
  name: 'filename',
  /** The MIME type the client claims; the server sniffs the content and corrects it. */
  mime: 'filetype',
  /** Optional: lowercase hex sha256 of the whole file; a mismatch at the end refuses the file. */
  sha256: 'sha256',
  /** Optional: the conversation the file is for; the uploader must be a member. */
  conversationId: 'conversationId',
} as const;

/**
 * uploading: bytes still arriving; scanning: complete, the scanner gate or webhook is deciding;
 * ready: usable in messages; rejected: refused by the scanner or checksum; expired: removed by
 * the retention job; deleted: removed by its owner.
 */
export const FileStatus = Type.Union([
  Type.Literal('uploading'),
  Type.Literal('scanning'),
  Type.Literal('ready'),
  Type.Literal('rejected'),
  Type.Literal('expired'),
  Type.Literal('deleted'),
]);
export type FileStatus = Static<typeof FileStatus>;

export const FileInfo = Type.Object({
  id: Id,
  ownerId: Id,
  name: Type.String(),
  mime: Type.String(),
  size: Type.Integer({ minimum: 0 }),
  /** Bytes received so far (equals size once complete). */
  offset: Type.Integer({ minimum: 0 }),
  /** Lowercase hex sha256 of the content, once complete (null while uploading). */
  sha256: Type.Union([Type.String(), Type.Null()]),
  status: FileStatus,
  /** Why it was rejected (e.g. the scanner's signature name), when status is rejected. */
  reason: Type.Union([Type.String(), Type.Null()]),
  /** Images and videos: pixel size; videos and voice: duration (null when unknown, e.g. no ffmpeg). */
  width: Type.Union([Type.Integer(), Type.Null()]),
  height: Type.Union([Type.Integer(), Type.Null()]),
  durationMs: Type.Union([Type.Integer(), Type.Null()]),
  /** A thumbnail (images) or poster frame (videos) exists: ask for the `thumbnail` variant. */
  hasThumbnail: Type.Boolean(),
  createdAt: Timestamp,
  /** When the retention job will remove it (null: kept until deleted). */
  expiresAt: Type.Union([Timestamp, Type.Null()]),
});
export type FileInfo = Static<typeof FileInfo>;

export const FileVariant = Type.Union([Type.Literal('original'), Type.Literal('thumbnail')]);
export type FileVariant = Static<typeof FileVariant>;

export const FileLinkBody = Type.Object(
  {
    id: Id,
    /** The conversation the caller saw the file in; members of it may download. */
    conversationId: Type.Optional(Id),
    variant: Type.Optional(FileVariant),
    /** `attachment` makes browsers save the file under its name; `inline` displays it. */
    disposition: Type.Optional(Type.Union([Type.Literal('inline'), Type.Literal('attachment')])),
  },
  { additionalProperties: false },
);
export type FileLinkBody = Static<typeof FileLinkBody>;

/**
 * A short-lived signed URL (`GET`, relative to the server, e.g. `/api/v1/files/<id>/content?...`)
 * that needs no bearer token, so `<img>`, `<video>` and downloads can use it. It honours HTTP
 * `Range` (206) for seeking and resumed downloads.
 */
export const FileLink = Type.Object({ url: Type.String(), expiresAt: Timestamp });
export type FileLink = Static<typeof FileLink>;

export const FileQuota = Type.Object({
  usedBytes: Type.Integer({ minimum: 0 }),
  /** 0: unlimited. */
  limitBytes: Type.Integer({ minimum: 0 }),
  /** The largest single file accepted now (0 once the quota is used up). */
  maxFileBytes: Type.Integer({ minimum: 0 }),
});
export type FileQuota = Static<typeof FileQuota>;

/** Where the cross-terminal disclaimer applies (R-T1). */
export const DisclaimerScope = Type.Union([
  /** Files sent to one's own other devices (the file transfer assistant self-chat). */
  Type.Literal('crossTerminal'),
  /** Every file, image, video and voice message. */
  Type.Literal('allFiles'),
]);
export type DisclaimerScope = Static<typeof DisclaimerScope>;

export const Disclaimer = Type.Object({
  enabled: Type.Boolean(),
  scope: DisclaimerScope,
  text: Type.String({ maxLength: 2000 }),
  /** Changes whenever the text changes: an acceptance names the version it accepted. */
  version: Type.Integer({ minimum: 1 }),
});
export type Disclaimer = Static<typeof Disclaimer>;

/** How long files are kept, in days (0: forever), globally and per conversation kind (R-M3). */
export const RetentionPolicy = Type.Object({
  defaultDays: Type.Integer({ minimum: 0, maximum: 36_500 }),
  directDays: Type.Union([Type.Integer({ minimum: 0, maximum: 36_500 }), Type.Null()]),
  groupDays: Type.Union([Type.Integer({ minimum: 0, maximum: 36_500 }), Type.Null()]),
  selfDays: Type.Union([Type.Integer({ minimum: 0, maximum: 36_500 }), Type.Null()]),
});
export type RetentionPolicy = Static<typeof RetentionPolicy>;

/** What every signed-in client needs to know before sending files. */
export const FilePolicy = Type.Object({
  disclaimer: Disclaimer,
  maxFileBytes: Type.Integer({ minimum: 1 }),
  retention: RetentionPolicy,
});
export type FilePolicy = Static<typeof FilePolicy>;

/** The operator's file settings (R-M3, R-T1, R-T2). */
export const FileSettings = Type.Object({
  disclaimer: Disclaimer,
  retention: RetentionPolicy,
  /** Per-file limit in bytes (≤ MAX_FILE_BYTES). */
  maxFileBytes: Type.Integer({ minimum: 1, maximum: MAX_FILE_BYTES }),
  /** Per-user storage quota in bytes; 0: unlimited. */
  quotaBytesPerUser: Type.Integer({ minimum: 0 }),
  /** Hours after which an unfinished upload is removed. */
  abandonedUploadHours: Type.Integer({ minimum: 1, maximum: 24 * 30 }),
});
export type FileSettings = Static<typeof FileSettings>;

export const FileSettingsPatch = Type.Object(
  {
    disclaimer: Type.Optional(
      Type.Object(
        {
          enabled: Type.Optional(Type.Boolean()),
          scope: Type.Optional(DisclaimerScope),
          text: Type.Optional(Type.String({ maxLength: 2000 })),
        },
        { additionalProperties: false },
      ),
    ),
    retention: Type.Optional(Type.Partial(RetentionPolicy, { additionalProperties: false })),
    maxFileBytes: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_FILE_BYTES })),
    quotaBytesPerUser: Type.Optional(Type.Integer({ minimum: 0 })),
    abandonedUploadHours: Type.Optional(Type.Integer({ minimum: 1, maximum: 24 * 30 })),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type FileSettingsPatch = Static<typeof FileSettingsPatch>;

/** A kind of terminal, from the session's device platform. */
export const TerminalKind = Type.Union([
  Type.Literal('mobile'),
  Type.Literal('desktop'),
  Type.Literal('web'),
]);
export type TerminalKind = Static<typeof TerminalKind>;

export const AcceptDisclaimerBody = Type.Object(
  {
    conversationId: Id,
    /** The disclaimer version the user saw. */
    version: Type.Integer({ minimum: 1 }),
    /** The file about to be sent (already uploaded), when known. */
    fileId: Type.Optional(Id),
  },
  { additionalProperties: false },
);
export type AcceptDisclaimerBody = Static<typeof AcceptDisclaimerBody>;

/** One step of a file's path (R-T2): an evidence record about the file, oldest first. */
export const FileTraceStep = Type.Object({
  seq: Type.Integer(),
  at: Timestamp,
  action: Type.String(),
  actorId: Type.Union([Id, Type.Null()]),
  conversationId: Type.Union([Id, Type.Null()]),
  targetIds: Type.Array(Id),
  fileId: Type.Union([Id, Type.Null()]),
  deviceId: Type.Union([Type.String(), Type.Null()]),
  ip: Type.Union([Type.String(), Type.Null()]),
});
export type FileTraceStep = Static<typeof FileTraceStep>;

export const FileTrace = Type.Object({
  sha256: Type.String(),
  steps: Type.Array(FileTraceStep),
  /** Every user the file reached. */
  reachedUserIds: Type.Array(Id),
  conversationIds: Type.Array(Id),
});
export type FileTrace = Static<typeof FileTrace>;
