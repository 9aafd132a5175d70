import { Type, type Static, type TSchema } from 'typebox';
import * as A from './auth.ts';
import * as C from './conversations.ts';
import { Ok } from './common.ts';
import * as M from './messages.ts';
import * as U from './users.ts';

/** Who may call an operation. */
export type Access = 'public' | 'user' | 'admin';
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * One operation of the API. REST: `method` + `path` under `/api/v1`; `{name}` segments of the path
 * are taken from `request`, the rest of `request` is the query string (GET, DELETE) or the JSON body.
 * WebSocket: when `ws` is true the same request/response travel in `req`/`res` frames named by the key.
 */
export interface OperationDef<Req extends TSchema = TSchema, Res extends TSchema = TSchema> {
  method: HttpMethod;
  path: string;
  request: Req;
  response: Res;
  access: Access;
  ws: boolean;
  summary: string;
  tag: string;
}

/** Keeps the literal `ws` flag in the type, so `WsOpName` can tell WebSocket operations apart. */
function op<Req extends TSchema, Res extends TSchema, const W extends boolean>(
  def: OperationDef<Req, Res> & { ws: W },
): OperationDef<Req, Res> & { ws: W } {
  return def;
}

const Empty = Type.Object({});
const MessageRefBody = Type.Object({
  conversationId: M.MessageRef.properties.conversationId,
  seq: M.MessageRef.properties.seq,
});

/** Every REST route and WebSocket operation, typed once. */
export const Operations = {
  'auth.sendSmsCode': op({
    method: 'POST',
    path: '/auth/sms-codes',
    request: A.SendSmsCodeBody,
    response: A.SendSmsCodeResult,
    access: 'public',
    ws: false,
    summary: 'Send a one-time SMS code',
    tag: 'auth',
  }),
  'auth.register': op({
    method: 'POST',
    path: '/auth/register',
    request: A.RegisterBody,
    response: A.Session,
    access: 'public',
    ws: false,
    summary: 'Register with a phone number and SMS code',
    tag: 'auth',
  }),
  'auth.loginPassword': op({
    method: 'POST',
    path: '/auth/login/password',
    request: A.PasswordLoginBody,
    response: A.Session,
    access: 'public',
    ws: false,
    summary: 'Log in with phone and password',
    tag: 'auth',
  }),
  'auth.loginSms': op({
    method: 'POST',
    path: '/auth/login/sms',
    request: A.SmsLoginBody,
    response: A.Session,
    access: 'public',
    ws: false,
    summary: 'Log in with phone and SMS code',
    tag: 'auth',
  }),
  'auth.resetPassword': op({
    method: 'POST',
    path: '/auth/password/reset',
    request: A.ResetPasswordBody,
    response: Ok,
    access: 'public',
    ws: false,
    summary: 'Set a new password with an SMS code (logs out every device)',
    tag: 'auth',
  }),
  'auth.refresh': op({
    method: 'POST',
    path: '/auth/refresh',
    request: A.RefreshBody,
    response: A.Session,
    access: 'public',
    ws: false,
    summary: 'Rotate the refresh token and get a new access token',
    tag: 'auth',
  }),
  'auth.logout': op({
    method: 'POST',
    path: '/auth/logout',
    request: Empty,
    response: Ok,
    access: 'user',
    ws: false,
    summary: 'Log out this device',
    tag: 'auth',
  }),
  'auth.changePassword': op({
    method: 'POST',
    path: '/auth/password',
    request: A.ChangePasswordBody,
    response: Ok,
    access: 'user',
    ws: false,
    summary: 'Change the password (other devices are logged out)',
    tag: 'auth',
  }),
  'auth.devices': op({
    method: 'GET',
    path: '/auth/devices',
    request: Empty,
    response: A.DeviceList,
    access: 'user',
    ws: true,
    summary: 'List my logged-in devices',
    tag: 'auth',
  }),
  'auth.revokeDevice': op({
    method: 'DELETE',
    path: '/auth/devices/{sessionId}',
    request: A.SessionParams,
    response: Ok,
    access: 'user',
    ws: true,
    summary: 'Log one of my devices out',
    tag: 'auth',
  }),

  'users.me': op({
    method: 'GET',
    path: '/users/me',
    request: Empty,
    response: U.Me,
    access: 'user',
    ws: true,
    summary: 'My profile',
    tag: 'users',
  }),
  'users.updateMe': op({
    method: 'PATCH',
    path: '/users/me',
    request: U.UpdateProfileBody,
    response: U.Me,
    access: 'user',
    ws: true,
    summary: 'Edit my profile',
    tag: 'users',
  }),
  'users.profiles': op({
    method: 'GET',
    path: '/users',
    request: U.UserIdsQuery,
    response: U.ProfileList,
    access: 'user',
    ws: true,
    summary: 'Public profiles of users by id',
    tag: 'users',
  }),
  'users.lookupByPhone': op({
    method: 'GET',
    path: '/users/lookup',
    request: U.LookupByPhoneQuery,
    response: U.PublicProfile,
    access: 'user',
    ws: true,
    summary: 'Find a user by phone number',
    tag: 'users',
  }),

  'conversations.list': op({
    method: 'GET',
    path: '/conversations',
    request: C.ConversationListQuery,
    response: C.ConversationList,
    access: 'user',
    ws: true,
    summary: 'My conversations (changed since a cursor)',
    tag: 'conversations',
  }),
  'conversations.get': op({
    method: 'GET',
    path: '/conversations/{conversationId}',
    request: C.ConversationRef,
    response: C.Conversation,
    access: 'user',
    ws: true,
    summary: 'One conversation',
    tag: 'conversations',
  }),
  'conversations.openDirect': op({
    method: 'POST',
    path: '/conversations/direct',
    request: C.OpenDirectBody,
    response: C.Conversation,
    access: 'user',
    ws: true,
    summary: 'Open (or create) the direct chat with a user',
    tag: 'conversations',
  }),
  'conversations.members': op({
    method: 'GET',
    path: '/conversations/{conversationId}/members',
    request: C.ConversationRef,
    response: C.MemberList,
    access: 'user',
    ws: true,
    summary: 'Members of a conversation',
    tag: 'conversations',
  }),
  'conversations.updateSettings': op({
    method: 'PATCH',
    path: '/conversations/{conversationId}/settings',
    request: C.UpdateSettingsBody,
    response: C.MemberSettings,
    access: 'user',
    ws: true,
    summary: 'Pin, mute or hide a conversation for me',
    tag: 'conversations',
  }),
  'conversations.saveDraft': op({
    method: 'PUT',
    path: '/conversations/{conversationId}/draft',
    request: C.SaveDraftBody,
    response: C.MemberSettings,
    access: 'user',
    ws: true,
    summary: 'Save (or clear, with empty text) my draft; it syncs to my devices',
    tag: 'conversations',
  }),
  'conversations.markRead': op({
    method: 'POST',
    path: '/conversations/{conversationId}/read',
    request: C.MarkReadBody,
    response: C.ReadPosition,
    access: 'user',
    ws: true,
    summary: 'Mark read up to a seq',
    tag: 'conversations',
  }),
  'conversations.typing': op({
    method: 'POST',
    path: '/conversations/{conversationId}/typing',
    request: C.TypingBody,
    response: Ok,
    access: 'user',
    ws: true,
    summary: 'Tell the others I am (not) typing',
    tag: 'conversations',
  }),

  'groups.create': op({
    method: 'POST',
    path: '/groups',
    request: C.CreateGroupBody,
    response: C.Conversation,
    access: 'user',
    ws: true,
    summary: 'Create a group (up to 1,000 members)',
    tag: 'groups',
  }),
  'groups.rename': op({
    method: 'PATCH',
    path: '/groups/{conversationId}',
    request: C.RenameGroupBody,
    response: C.Conversation,
    access: 'user',
    ws: true,
    summary: 'Rename a group (owner or admin)',
    tag: 'groups',
  }),
  'groups.addMembers': op({
    method: 'POST',
    path: '/groups/{conversationId}/members',
    request: C.MembersBody,
    response: C.MemberList,
    access: 'user',
    ws: true,
    summary: 'Add members',
    tag: 'groups',
  }),
  'groups.removeMembers': op({
    method: 'POST',
    path: '/groups/{conversationId}/members/remove',
    request: C.MembersBody,
    response: C.MemberList,
    access: 'user',
    ws: true,
    summary: 'Remove members (owner or admin)',
    tag: 'groups',
  }),
  'groups.leave': op({
    method: 'POST',
    path: '/groups/{conversationId}/leave',
    request: C.ConversationRef,
    response: Ok,
    access: 'user',
    ws: true,
    summary: 'Leave a group',
    tag: 'groups',
  }),

  'messages.send': op({
    method: 'POST',
    path: '/conversations/{conversationId}/messages',
    request: M.SendMessageBody,
    response: M.Message,
    access: 'user',
    ws: true,
    summary: 'Send a message (idempotent by clientId); acknowledged means durable',
    tag: 'messages',
  }),
  'messages.forward': op({
    method: 'POST',
    path: '/conversations/{conversationId}/forward',
    request: M.ForwardMessageBody,
    response: M.Message,
    access: 'user',
    ws: true,
    summary: 'Forward a message into this conversation',
    tag: 'messages',
  }),
  'messages.history': op({
    method: 'GET',
    path: '/conversations/{conversationId}/messages',
    request: M.HistoryQuery,
    response: M.MessageList,
    access: 'user',
    ws: true,
    summary: 'Page through history or pull a gap',
    tag: 'messages',
  }),
  'messages.changes': op({
    method: 'GET',
    path: '/conversations/{conversationId}/message-changes',
    request: M.MessageChangesQuery,
    response: M.MessageList,
    access: 'user',
    ws: true,
    summary: 'Messages edited, recalled or reacted to since a time',
    tag: 'messages',
  }),
  'messages.edit': op({
    method: 'PATCH',
    path: '/conversations/{conversationId}/messages/{seq}',
    request: M.EditMessageBody,
    response: M.Message,
    access: 'user',
    ws: true,
    summary: 'Edit my text message',
    tag: 'messages',
  }),
  'messages.recall': op({
    method: 'POST',
    path: '/conversations/{conversationId}/messages/{seq}/recall',
    request: MessageRefBody,
    response: M.Message,
    access: 'user',
    ws: true,
    summary: 'Recall my message within the recall window',
    tag: 'messages',
  }),
  'messages.react': op({
    method: 'POST',
    path: '/conversations/{conversationId}/messages/{seq}/reactions',
    request: M.ReactBody,
    response: M.Message,
    access: 'user',
    ws: true,
    summary: 'Add or remove a reaction',
    tag: 'messages',
  }),
  'messages.readers': op({
    method: 'GET',
    path: '/conversations/{conversationId}/messages/{seq}/readers',
    request: MessageRefBody,
    response: M.Readers,
    access: 'user',
    ws: true,
    summary: 'Who has read a message',
    tag: 'messages',
  }),

  'presence.query': op({
    method: 'POST',
    path: '/presence/query',
    request: C.PresenceQuery,
    response: C.PresenceList,
    access: 'user',
    ws: true,
    summary: 'Who of these users is online',
    tag: 'presence',
  }),
} as const;

export type Operations = typeof Operations;
export type OpName = keyof Operations;
export type OpRequest<N extends OpName> = Static<Operations[N]['request']>;
export type OpResponse<N extends OpName> = Static<Operations[N]['response']>;
export type WsOpName = { [N in OpName]: Operations[N]['ws'] extends true ? N : never }[OpName];

/** Names of the `{name}` segments of a path template. */
export function pathParams(path: string): string[] {
  return [...path.matchAll(/\{([A-Za-z]+)\}/g)].map((m) => m[1] as string);
}

export const API_PREFIX = '/api/v1';
