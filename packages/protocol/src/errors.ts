import { Type, type Static } from 'typebox';

/**
 * The one error catalog shared by REST and WebSocket. Codes are stable: never reuse a retired one.
 * `status` is the HTTP status for REST; WebSocket responses carry the same `code`.
 */
export const ErrorCatalog = {
  BAD_REQUEST: { status: 400, message: 'The request is malformed' },
  VALIDATION_FAILED: { status: 400, message: 'The request does not match its schema' },
  PASSWORD_WEAK: {
    status: 400,
    message: 'The password is too weak: use 8 or more characters, not only digits, not your phone number',
  },
  MESSAGE_TOO_LONG: { status: 400, message: 'Text messages are limited to 2,048 bytes of UTF-8' },
  CONTACT_SELF: { status: 400, message: 'You cannot add yourself as a contact' },
  IMAGE_INVALID: { status: 400, message: 'Not a PNG, JPEG or WebP image, or larger than 512 KiB' },
  CODE_INVALID: {
    status: 400,
    message: 'This code is not valid (forged, malformed or replaced by a newer one)',
  },
  CODE_EXPIRED: { status: 410, message: 'This code has expired' },
  UNKNOWN_OP: { status: 400, message: 'Unknown operation' },
  UNSUPPORTED_PROTOCOL: { status: 400, message: 'Unsupported protocol version' },
  UNAUTHENTICATED: { status: 401, message: 'Authentication is required' },
  TOKEN_EXPIRED: { status: 401, message: 'The access token has expired' },
  TOKEN_INVALID: { status: 401, message: 'The token is invalid' },
  INVALID_CREDENTIALS: { status: 401, message: 'Phone number or password is wrong' },
  SMS_CODE_INVALID: { status: 401, message: 'The SMS code is wrong or has expired' },
  SESSION_REVOKED: { status: 401, message: 'This device has been logged out' },
  FRIEND_REQUESTS_CLOSED: { status: 403, message: 'This user does not accept friend requests' },
  BLOCKED: { status: 403, message: 'This user does not accept your messages' },
  NOT_FRIENDS: { status: 403, message: 'You are not friends with this user; send a friend request first' },
  FORBIDDEN: { status: 403, message: 'You may not do this' },
  NOT_MEMBER: { status: 403, message: 'You are not a member of this conversation' },
  MEMBER_MUTED: { status: 403, message: 'You are muted in this group' },
  CHANNEL_READ_ONLY: { status: 403, message: 'Only the account posts in this channel' },
  OWNER_MUST_TRANSFER: {
    status: 409,
    message: 'The owner must transfer ownership before leaving the group',
  },
  GROUP_DISSOLVED: { status: 410, message: 'This group has been dissolved; its history is read-only' },
  ACCOUNT_DISABLED: { status: 403, message: 'This account is disabled' },
  RECALL_WINDOW_PASSED: { status: 403, message: 'The time to recall this message has passed' },
  REGISTRATION_CLOSED: {
    status: 403,
    message: 'Registration is closed; ask an administrator for an account',
  },
  NOT_FOUND: { status: 404, message: 'Not found' },
  MOMENT_NOT_FOUND: { status: 404, message: 'No such post (or you may not see it)' },
  MOMENT_COMMENT_NOT_FOUND: { status: 404, message: 'No such comment (or you may not see it)' },
  MOMENT_EMPTY: { status: 400, message: 'A post needs text, images or a video' },
  MOMENT_MEDIA_INVALID: {
    status: 400,
    message: 'A post carries up to 9 images or exactly one video, nothing else',
  },
  MOMENT_VIDEO_TOO_LARGE: { status: 413, message: 'The video is larger than the limit for posts' },
  MOMENT_VIDEO_TOO_LONG: { status: 422, message: 'The video is longer than the limit for posts' },
  MOMENT_MENTION_NOT_VISIBLE: { status: 422, message: 'A mentioned user could not see this post' },
  MOMENT_ALREADY_REPORTED: { status: 409, message: 'You have already reported this post' },
  MOMENT_REPORT_RESOLVED: { status: 409, message: 'This report has already been resolved' },
  IMAGE_NOT_FOUND: { status: 404, message: 'No such image (or it is not yours to use)' },
  ROUTE_NOT_FOUND: { status: 404, message: 'No such route' },
  FILE_NOT_FOUND: { status: 404, message: 'No such file (or it is not yours to read)' },
  FILE_NAME_INVALID: { status: 400, message: 'The file name is empty, too long or holds control characters' },
  CHECKSUM_MISMATCH: { status: 460, message: 'The data does not match its checksum' },
  FILE_NOT_READY: { status: 409, message: 'The file is still uploading or being checked' },
  FILE_EXPIRED: { status: 410, message: 'This file has expired or was deleted' },
  FILE_TOO_LARGE: { status: 413, message: 'The file is larger than the limit' },
  QUOTA_EXCEEDED: { status: 413, message: 'Your storage quota is used up' },
  FILE_REJECTED: { status: 422, message: 'The file was refused by the security scan' },
  LINK_INVALID: { status: 403, message: 'This download link is invalid or has expired' },
  PHONE_TAKEN: { status: 409, message: 'This phone number is already registered' },
  ACCOUNT_TAKEN: { status: 409, message: 'This 致信号 is already taken' },
  ALREADY_FRIENDS: { status: 409, message: 'You are already friends' },
  FRIEND_REQUEST_HANDLED: { status: 409, message: 'This friend request was already accepted or declined' },
  FRIEND_REQUEST_EXPIRED: { status: 410, message: 'This friend request has expired' },
  CONFLICT: { status: 409, message: 'The request conflicts with the current state' },
  CALL_IN_PROGRESS: { status: 409, message: 'You are already in a call' },
  CALL_ENDED: { status: 409, message: 'This call has already been answered elsewhere or has ended' },
  MEETING_LOCKED: { status: 403, message: 'The host has locked this meeting' },
  MEETING_INVITE_ONLY: { status: 403, message: 'Only invited people may join this meeting' },
  MEETING_REMOVED: { status: 403, message: 'The host removed you from this meeting' },
  MEETING_ENDED: { status: 410, message: 'This meeting has ended' },
  MEDIA_GRANT_INVALID: {
    status: 401,
    message: 'The media grant is forged, expired, revoked or for another room',
  },
  DUPLICATE_CLIENT_ID: { status: 409, message: 'This client id was already used for a different message' },
  PAYLOAD_TOO_LARGE: { status: 413, message: 'The request body is too large' },
  DEPARTMENT_CYCLE: { status: 422, message: 'A department cannot be moved into its own subtree' },
  DEPARTMENT_NOT_EMPTY: {
    status: 409,
    message: 'Only an empty department (no members, no sub-departments) can be deleted',
  },
  DIRECTORY_SOURCE_FAILED: {
    status: 502,
    message: 'The LDAP server could not be reached, refused the bind or the search',
  },
  GROUP_FULL: { status: 422, message: 'A group holds at most 1,000 members' },
  LICENSE_EXHAUSTED: { status: 422, message: 'The licensed number of users has been reached' },
  LICENSE_EXPIRED: {
    status: 403,
    message: 'The license has expired; existing users keep working, no new users',
  },
  LICENSE_INVALID: { status: 422, message: 'The license file is malformed or its signature does not verify' },
  LAST_ADMIN: { status: 409, message: 'The last administrator cannot be demoted or disabled' },
  ACCOUNT_LOCKED: { status: 423, message: 'Too many failed attempts; try again later' },
  RATE_LIMITED: { status: 429, message: 'Too many requests; slow down' },
  INTERNAL: { status: 500, message: 'Internal error' },
  DIRECTORY_UNAVAILABLE: { status: 501, message: 'Department targeting needs the directory' },
  SEALED: { status: 503, message: 'The server is sealed until both custodian passwords are given' },
  UNAVAILABLE: { status: 503, message: 'The service is temporarily unavailable' },
  MEDIA_UNAVAILABLE: {
    status: 503,
    message: 'No media server is available for meetings; install janus (Debian package `janus`)',
  },
  SLOW_CONSUMER: { status: 503, message: 'The connection could not keep up and was closed' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ErrorCatalog;

export const ErrorCodeSchema = Type.Union(
  (Object.keys(ErrorCatalog) as ErrorCode[]).map((code) => Type.Literal(code)),
);

/** `{error:{code,message,details}}`, the body of every failed REST call and WS response. */
export const ErrorBody = Type.Object(
  {
    error: Type.Object({
      code: Type.String(),
      message: Type.String(),
      details: Type.Optional(Type.Unknown()),
    }),
  },
  { $id: 'ErrorBody' },
);
export type ErrorBody = Static<typeof ErrorBody>;

/** Whether a failure with this code is the server's fault (reportable) rather than the caller's. */
export function isReportable(code: string): boolean {
  return code === 'INTERNAL';
}

export function statusOf(code: string): number {
  return (ErrorCatalog as Record<string, { status: number }>)[code]?.status ?? 500;
}
