import type { OpResponse } from '@zhixin/protocol';
import type { Call } from '../transport.ts';
import type { Conversation, Member } from './conversations-manager.ts';

export type GroupCode = OpResponse<'groups.code'>;
export type GroupPreview = OpResponse<'groups.preview'>;
export type JoinResult = OpResponse<'groups.joinByCode'>;
export type JoinRequest = OpResponse<'groups.joinRequests'>['requests'][number];
export type TemporaryGroup = OpResponse<'groups.temporary'>['groups'][number];
export type GroupInfo = NonNullable<Conversation['group']>;

/**
 * Group management (R-L1, R-M4): roles, announcement, avatar, join approval and requests, mutes,
 * group nicknames, the group code (QR), dissolving; temporary-group cleanup for administrators.
 * Creating, renaming, inviting, removing and leaving stay on `client.conversations`.
 */
export class GroupsManager {
  constructor(private readonly call: Call) {}

  /**
   * Make a member an admin, or a plain member again (owner only).
   * @example
   * await client.groups.setAdmin(groupId, bobId, true);
   */
  async setAdmin(conversationId: string, userId: string, admin: boolean): Promise<Member[]> {
    return (await this.call('groups.setAdmin', { conversationId, userId, admin })).members;
  }

  /**
   * Hand the group to another member; I become an admin (owner only).
   * @example
   * await client.groups.transferOwnership(groupId, bobId);
   */
  transferOwnership(conversationId: string, userId: string): Promise<Conversation> {
    return this.call('groups.transferOwnership', { conversationId, userId });
  }

  /**
   * Dissolve the group (owner only): members are told, the history stays readable.
   * @example
   * await client.groups.dissolve(groupId);
   */
  async dissolve(conversationId: string): Promise<void> {
    await this.call('groups.dissolve', { conversationId });
  }

  /**
   * Set (or, with null, clear) the group avatar to an uploaded image (owner or admin).
   * @example
   * const ref = await client.users.uploadImage('image/png', base64);
   * await client.groups.setAvatar(groupId, ref.id);
   */
  setAvatar(conversationId: string, imageId: string | null): Promise<Conversation> {
    return this.call('groups.setAvatar', { conversationId, imageId });
  }

  /**
   * Set the announcement (≤ 2,000 characters; empty clears it). Everyone gets it as a system message.
   * @example
   * await client.groups.setAnnouncement(groupId, '周五发版，请大家注意');
   */
  setAnnouncement(conversationId: string, text: string): Promise<Conversation> {
    return this.call('groups.setAnnouncement', { conversationId, text });
  }

  /**
   * Require (or stop requiring) an admin's approval for joins.
   * @example
   * await client.groups.setJoinApproval(groupId, true);
   */
  setJoinApproval(conversationId: string, required: boolean): Promise<Conversation> {
    return this.call('groups.setJoinApproval', { conversationId, required });
  }

  /**
   * Pending join requests (owner or admin).
   * @example
   * const requests = await client.groups.joinRequests(groupId);
   */
  async joinRequests(conversationId: string): Promise<JoinRequest[]> {
    return (await this.call('groups.joinRequests', { conversationId })).requests;
  }

  /** @example await client.groups.approveJoin(groupId, request.id); */
  async approveJoin(conversationId: string, requestId: string): Promise<Member[]> {
    return (await this.call('groups.approveJoin', { conversationId, requestId })).members;
  }

  /** @example await client.groups.declineJoin(groupId, request.id); */
  async declineJoin(conversationId: string, requestId: string): Promise<void> {
    await this.call('groups.declineJoin', { conversationId, requestId });
  }

  /**
   * Mute everyone but the owner and admins (or lift it).
   * @example
   * await client.groups.muteAll(groupId, true);
   */
  muteAll(conversationId: string, on: boolean): Promise<Conversation> {
    return this.call('groups.muteAll', { conversationId, on });
  }

  /**
   * Mute a member until a time, or unmute with null.
   * @example
   * await client.groups.muteMember(groupId, bobId, Date.now() + 10 * 60_000);
   */
  async muteMember(conversationId: string, userId: string, untilMs: number | null): Promise<Member[]> {
    return (await this.call('groups.muteMember', { conversationId, userId, untilMs })).members;
  }

  /**
   * My nickname in this group (≤ 32; empty clears it).
   * @example
   * await client.groups.setMyNickname(groupId, '产品-小王');
   */
  async setMyNickname(conversationId: string, nickname: string): Promise<Member[]> {
    return (await this.call('groups.setMyNickname', { conversationId, nickname })).members;
  }

  /**
   * The group code to show as a QR code (any member).
   * @example
   * const { code, expiresAt } = await client.groups.code(groupId);
   */
  code(conversationId: string): Promise<GroupCode> {
    return this.call('groups.code', { conversationId });
  }

  /**
   * A new group code; older ones stop working (owner or admin).
   * @example
   * const { code } = await client.groups.refreshCode(groupId);
   */
  refreshCode(conversationId: string): Promise<GroupCode> {
    return this.call('groups.refreshCode', { conversationId });
  }

  /**
   * What a scanned group code is for, without joining.
   * @example
   * const { title, memberCount, member } = await client.groups.preview(scannedText);
   */
  preview(code: string): Promise<GroupPreview> {
    return this.call('groups.preview', { code });
  }

  /**
   * Join by a group code, or ask to when the group requires approval.
   * @example
   * const r = await client.groups.joinByCode(scannedText);
   * if (r.status === 'joined') openChat(r.conversation!.id);
   */
  joinByCode(code: string): Promise<JoinResult> {
    return this.call('groups.joinByCode', { code });
  }

  /**
   * Temporary groups, idle ones marked (administrators).
   * @example
   * const groups = await client.groups.temporary();
   */
  async temporary(): Promise<TemporaryGroup[]> {
    return (await this.call('groups.temporary', {})).groups;
  }

  /**
   * Dissolve idle temporary groups now, or with `dryRun` only list them (administrators).
   * @example
   * const wouldGo = await client.groups.cleanupTemporary(true);
   */
  async cleanupTemporary(dryRun: boolean): Promise<TemporaryGroup[]> {
    return (await this.call('groups.cleanupTemporary', { dryRun })).groups;
  }
}
