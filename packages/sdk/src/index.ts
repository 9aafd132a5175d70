// @zhixin/sdk: the typed client of Zhixin for browsers and Node. Types come from @zhixin/protocol.
export { ZhixinClient, type ZhixinClientOptions } from './client.ts';
export { ZhixinError, SdkErrorCode, type ZhixinErrorCode, type ZhixinErrorOptions } from './errors.ts';
export type { ZhixinEvents, ZhixinEventName, ServerEvents, SdkEvents } from './events.ts';
export { TypedEmitter, type Listener, type Unsubscribe } from './emitter.ts';

export {
  AdminManager,
  type AdminGroup,
  type AdminGroupMembers,
  type AdminGroupPage,
  type AdminGroupsQuery,
  type AdminResetPasswordResult,
  type AdminUser,
  type AdminUserDetail,
  type AdminUserPage,
  type AdminUsersQuery,
  type LicenseStatus,
  type ScreeningApplyResult,
  type ScreeningPreview,
  type ScreeningRules,
} from './managers/admin-manager.ts';
export {
  AuditManager,
  type AuditExportFormat,
  type AuditExportQuery,
  type AuditPage,
  type AuditRecord,
  type AuditVerification,
  type FileTrace,
} from './managers/audit-manager.ts';
export { AuthManager, type Device, type RegisterInput, type SmsPurpose } from './managers/auth-manager.ts';
export {
  CallsManager,
  type CallInfo,
  type CallMedia,
  type CallOutcome,
  type CallWithIce,
  type IceServer,
  type IceServers,
  type SignalPayload,
} from './managers/calls-manager.ts';
export {
  MeetingsManager,
  type JoinMeetingResult,
  type MediaGrant,
  type Meeting,
  type MeetingControlAction,
  type MeetingHistory,
  type MeetingParticipant,
  type MeetingRecord,
  type MeetingSettings,
} from './managers/meetings-manager.ts';
export {
  DownloadManager,
  type BinaryFetch,
  type DownloadManagerOptions,
  type DownloadOptions,
  type DownloadProgress,
} from './managers/download-manager.ts';
export {
  FilesManager,
  MemoryUrlStorage,
  type FilesManagerOptions,
  type UploadHandle,
  type UploadOptions,
  type UploadProgress,
  type UploadSource,
} from './managers/files-manager.ts';
export { ContactsManager, type Contact } from './managers/contacts-manager.ts';
export {
  FriendsManager,
  isPendingRequest,
  type AddPolicy,
  type BlockedUser,
  type FriendPrivacy,
  type FriendRequest,
  type FriendRequestList,
  type FriendSearchResult,
  type Recommendation,
  type RecommendationList,
  type RecommendationReason,
  type SendFriendRequestResult,
} from './managers/friends-manager.ts';
export { DirectoryManager, type MembersOptions } from './managers/directory-manager.ts';
export { MomentsManager, type MomentPageOptions } from './managers/moments-manager.ts';
export type {
  CreateMomentBody,
  Moment,
  MomentComment,
  MomentCommentPage,
  MomentDraft,
  MomentDraftContent,
  MomentDraftKind,
  MomentFeedScope,
  MomentLike,
  MomentMedia,
  MomentNotification,
  MomentNotificationPage,
  MomentPage,
  MomentReport,
  MomentReportPage,
  MomentReportStatus,
  MomentUnseen,
  MomentVisibility,
  UserMomentsPage,
} from '@zhixin/protocol';
export {
  CodesManager,
  type MyCode,
  type QuickLoginAttempt,
  type QuickLoginScanned,
  type QuickLoginStatus,
  type QuickLoginWaitOptions,
  type ResolvedCode,
  type TransferCode,
  type TransferInput,
} from './managers/codes-manager.ts';
export {
  ConversationsManager,
  type Conversation,
  type ConversationList,
  type Member,
  type MemberSettings,
  type SettingsPatch,
} from './managers/conversations-manager.ts';
export {
  GroupsManager,
  type GroupCode,
  type GroupInfo,
  type GroupPreview,
  type JoinRequest,
  type JoinResult,
  type TemporaryGroup,
} from './managers/groups-manager.ts';
export type { DeviceInfo, DeviceOptions } from './managers/device.ts';
export {
  MessagesManager,
  newClientId,
  type HistoryPage,
  type Message,
  type MessageContent,
  type MessageList,
  type MessageRef,
  type Readers,
  type ReadPosition,
  type SendOptions,
  type SystemContent,
  type TextContent,
} from './managers/messages-manager.ts';
export {
  OpsAccountManager,
  type Broadcast,
  type BroadcastList,
  type BroadcastsOptions,
  type FeedbackItem,
  type FeedbackList,
  type FeedbackOptions,
  type FeedbackStatus,
  type OpsAccountInfo,
  type OpsTarget,
} from './managers/opsaccount-manager.ts';
export {
  ExportsManager,
  type ExportCatalog,
  type ExportFormat,
  type ExportKind,
  type ExportTicket,
} from './managers/exports-manager.ts';
export {
  SystemManager,
  type ClientPolicy,
  type OpenApiDocument,
  type SystemSettings,
  type SystemSettingsPatch,
} from './managers/system-manager.ts';
export {
  SettingsManager,
  type ClientSettings,
  type ClientSettingsPatch,
} from './managers/settings-manager.ts';
export {
  StatsManager,
  type StatsFigures,
  type StatsGranularity,
  type StatsMetric,
  type StatsOnline,
  type StatsOverview,
  type StatsSeries,
  type StatsSeriesRequest,
  type StatsUserActivity,
} from './managers/stats-manager.ts';
export {
  UsersManager,
  type ImageMime,
  type ImageRef,
  type Me,
  type Preferences,
  type PreferencesPatch,
  type Presence,
  type ProfilePatch,
  type PublicProfile,
} from './managers/users-manager.ts';
export type { FontSize, Language, LaunchPage, NotificationPreferences, WelcomePage } from '@zhixin/protocol';

export {
  RealtimeConnection,
  type ConnectionState,
  type ConnectionStateChange,
  type RealtimeAuth,
  type RealtimeEvents,
  type RealtimeOptions,
} from './realtime/connection.ts';
export {
  JanusChannel,
  janusError,
  mediaChannelUrl,
  type JanusAnswer,
  type JanusChannelEvents,
  type JanusChannelOptions,
  type JanusMessage,
  type ProtocolWebSocketConstructor,
} from './realtime/janus-channel.ts';
export {
  ExponentialBackoffPolicy,
  type BackoffOptions,
  type ReconnectPolicy,
  type RetryContext,
} from './realtime/reconnect-policy.ts';
export {
  RestClient,
  defaultLock,
  type LockFn,
  type CallOptions,
  type RestClientEvents,
  type RestClientOptions,
} from './rest/rest-client.ts';
export { buildHttpRequest, webSocketUrl, type HttpRequest } from './rest/request.ts';
export type { FetchInit, FetchLike, FetchResponse } from './rest/fetch.ts';
export {
  SyncManager,
  type SyncEvents,
  type SyncManagerOptions,
  type SyncResult,
} from './sync/sync-manager.ts';
export { LocalStorageAdapter, MemoryStorage, type Storage, type WebStorageLike } from './storage/storage.ts';
export { TokenStore, type Session } from './storage/token-store.ts';
export { systemTimers, type TimerHandle, type Timers } from './platform/timers.ts';
export type { WebSocketConstructor, WebSocketLike } from './platform/websocket.ts';
export type { Call } from './transport.ts';
