import type {
  Conversation,
  ConversationKind,
  ConversationList,
  Draft,
  MemberList,
  MemberRole,
  MemberSettings,
  Message,
  SystemContent,
  ReadPosition,
  UpdateSettingsBody,
} from '@zhixin/protocol';
import type { Kysely } from 'kysely';
import type { GroupsStaff } from './groups.staff.ts';
import type { DB } from '../../platform/db/index.ts';

/** Who is calling: the user and the device session (events skip the device that caused them). */
export interface Caller {
  userId: string;
  sessionId: string;
}

/** A conversation row. */
export interface ConversationRecord {
  id: string;
  kind: ConversationKind;
  title: string;
  directKey: string | null;
  ownerId: string | null;
  lastSeq: number;
  memberCount: number;
  createdAt: number;
  updatedAt: number;
}

/** One member's row: role, read position and own settings. */
export interface MemberRecord {
  conversationId: string;
  userId: string;
  role: MemberRole;
  joinedAt: number;
  readSeq: number;
  pinned: boolean;
  muted: boolean;
  hidden: boolean;
  draft: Draft | null;
  updatedAt: number;
}

/** A conversation as one member sees it. */
export interface MemberView {
  conversation: ConversationRecord;
  me: MemberRecord;
}

/** Who is in a conversation; cached per process, invalidated on membership changes cluster-wide. */
export interface Membership {
  conversationId: string;
  kind: ConversationKind;
  /** Everyone in it; for a channel, only its publishers (its audience is every user). */
  memberIds: readonly string[];
  has(userId: string): boolean;
  /** Why this member may not send now (dissolved group, muted), or null when they may. */
  sendBlock(userId: string, now: number): SendBlock | null;
}

export type SendBlock = 'GROUP_DISSOLVED' | 'MEMBER_MUTED' | 'CHANNEL_READ_ONLY';

/** A group's rules for who may send; cached with the membership. */
export interface SendPolicy {
  dissolved: boolean;
  muteAll: boolean;
  /** The owner and admins: they may send while everyone is muted. */
  privileged: ReadonlySet<string>;
  mutedUntil: ReadonlyMap<string, number>;
}

/** Posts a server-written system message into a group (wired in by the messages module). */
export type SystemPoster = (
  conversationId: string,
  actorId: string,
  content: SystemContent,
  mentions: Message['mentions'],
) => Promise<void>;

/** What the message store says about a conversation for one member. */
export interface ConversationDigest {
  lastMessage: Message | null;
  unreadCount: number;
  mentionedMe: boolean;
}

export interface ReadState {
  conversationId: string;
  lastSeq: number;
  readSeq: number;
}

/** Provided by the messages module, so conversations never read the messages tables. */
export interface DigestSource {
  digests(userId: string, states: readonly ReadState[]): Promise<Map<string, ConversationDigest>>;
}

export interface ConversationsService {
  /** My conversations; with `since`, only those whose row or my member row changed after it. */
  list(caller: Caller, since?: number): Promise<ConversationList>;
  get(caller: Caller, conversationId: string): Promise<Conversation>;
  /** The one direct chat with a user (created on first use; self-chat allowed). */
  openDirect(caller: Caller, peerId: string): Promise<Conversation>;
  members(caller: Caller, conversationId: string): Promise<MemberList>;
  updateSettings(caller: Caller, body: UpdateSettingsBody): Promise<MemberSettings>;
  /** Encrypted; empty text clears it. */
  saveDraft(caller: Caller, conversationId: string, text: string): Promise<MemberSettings>;
  /** Monotonic: the read position never moves back, nor past the last message. */
  markRead(caller: Caller, conversationId: string, seq: number): Promise<ReadPosition>;
  typing(caller: Caller, conversationId: string, typing: boolean): Promise<void>;

  createGroup(
    caller: Caller,
    title: string,
    memberIds: readonly string[],
    opts?: { temporary?: boolean },
  ): Promise<Conversation>;
  renameGroup(caller: Caller, conversationId: string, title: string): Promise<Conversation>;
  /** With join approval on, plain members' invitations become join requests (`requested`). */
  addMembers(caller: Caller, conversationId: string, userIds: readonly string[]): Promise<MemberList>;
  removeMembers(caller: Caller, conversationId: string, userIds: readonly string[]): Promise<MemberList>;
  leaveGroup(caller: Caller, conversationId: string): Promise<void>;

  /** Channels: conversations every user reads and only their publishers post in (see channels.ts). */
  readonly channels: ChannelsService;
  /** Cached membership; null when the conversation does not exist. */
  membership(conversationId: string): Promise<Membership | null>;
  /** The membership, or NOT_FOUND (no such conversation) / NOT_MEMBER. */
  requireMember(conversationId: string, userId: string): Promise<Membership>;
  /** Read position of every member, by user id (uncached: read receipts). */
  readPositions(conversationId: string): Promise<Map<string, number>>;
  /** The groups (not dissolved) each user is in (at most 500 users a call): recommendation, exports. */
  groupIdsOf(userIds: readonly string[]): Promise<Map<string, string[]>>;
  /**
   * Inside the caller's write transaction: reserve `count` contiguous seqs per conversation, bump
   * the conversations' update time and un-hide them for their members. Returns the new last seq of
   * each conversation (its reserved seqs are `last - count + 1 .. last`); missing ones do not exist.
   */
  reserveSeqs(
    trx: Kysely<DB>,
    counts: ReadonlyMap<string, number>,
    now: number,
  ): Promise<Map<string, number>>;
  /**
   * Note that a message of the conversation was edited, recalled or reacted to, so devices that
   * catch up with `conversations.list({since})` look at its changes.
   */
  markChanged(conversationId: string, now: number): Promise<void>;
  /** Wire in the message store's digests (last message, unread count, mentions). */
  setDigestSource(source: DigestSource): void;
  /** Wire in the message store's system messages (announcements, dissolution). */
  setSystemPoster(poster: SystemPoster): void;
  /** Stop the temporary-group cleanup job. */
  /** The console's view of groups (operators): every group, members, dissolve. */
  readonly staff: GroupsStaff;
  close(): void;
}

export interface ChannelsService {
  /** A new channel owned (and posted in) by `ownerId`; returns its id. */
  create(ownerId: string, title: string, now: number): Promise<string>;
  retitle(channelId: string, title: string, now: number): Promise<void>;
  /**
   * Give these users their member row (read position, pin, mute) in the channel, once: the posts
   * from now on count as unread for them and the channel shows in their list. Returns how many
   * were new. With `ifPosted`, nothing happens while the channel has no post yet (an empty
   * channel does not show in anyone's list).
   */
  subscribe(
    channelId: string,
    userIds: readonly string[],
    now: number,
    opts?: { ifPosted?: boolean },
  ): Promise<number>;
}
