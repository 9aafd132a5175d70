import type { OpRequest, OpResponse } from '@zhixin/protocol';
import type { Call } from '../transport.ts';

export type Conversation = OpResponse<'conversations.get'>;
export type ConversationList = OpResponse<'conversations.list'>;
export type Member = OpResponse<'conversations.members'>['members'][number];
export type MemberSettings = OpResponse<'conversations.updateSettings'>;
export type SettingsPatch = Omit<OpRequest<'conversations.updateSettings'>, 'conversationId'>;

/** Conversations and groups: listing, direct chats, members, my per-conversation settings and drafts. */
export class ConversationsManager {
  constructor(private readonly call: Call) {}

  /**
   * My conversations; with `since` (a previous `cursor`), only those changed since.
   * @example
   * const { conversations, cursor } = await client.conversations.list();
   */
  list(since?: number): Promise<ConversationList> {
    return this.call('conversations.list', since === undefined ? {} : { since });
  }

  /** @example const c = await client.conversations.get(conversationId); */
  get(conversationId: string): Promise<Conversation> {
    return this.call('conversations.get', { conversationId });
  }

  /**
   * Open (or create) the direct chat with a user.
   * @example
   * const chat = await client.conversations.openDirect(userId);
   * await client.messages.sendText(chat.id, '在吗？');
   */
  openDirect(userId: string): Promise<Conversation> {
    return this.call('conversations.openDirect', { userId });
  }

  /** @example const members = await client.conversations.members(conversationId); */
  async members(conversationId: string): Promise<Member[]> {
    return (await this.call('conversations.members', { conversationId })).members;
  }

  /**
   * Pin, mute or hide a conversation for me (synced to my devices).
   * @example
   * await client.conversations.updateSettings(conversationId, { muted: true });
   */
  updateSettings(conversationId: string, patch: SettingsPatch): Promise<MemberSettings> {
    return this.call('conversations.updateSettings', { conversationId, ...patch });
  }

  /**
   * Save my draft (empty text clears it); it follows me to my other devices.
   * @example
   * await client.conversations.saveDraft(conversationId, input.value);
   */
  saveDraft(conversationId: string, text: string): Promise<MemberSettings> {
    return this.call('conversations.saveDraft', { conversationId, text });
  }

  /**
   * Create a group with me as owner (up to 1,000 members).
   * @example
   * const group = await client.conversations.createGroup('项目组', [aliceId, bobId]);
   * // A temporary group, dissolved after `groups.temporaryIdleDays` without use:
   * const task = await client.conversations.createGroup('临时任务', [aliceId], { temporary: true });
   */
  createGroup(title: string, memberIds: string[], opts: { temporary?: boolean } = {}): Promise<Conversation> {
    return this.call('groups.create', { title, memberIds, ...(opts.temporary ? { temporary: true } : {}) });
  }

  /** Rename a group (owner or admin). @example await client.conversations.renameGroup(groupId, '新名字'); */
  renameGroup(conversationId: string, title: string): Promise<Conversation> {
    return this.call('groups.rename', { conversationId, title });
  }

  /** @example await client.conversations.addMembers(groupId, [carolId]); */
  async addMembers(conversationId: string, userIds: string[]): Promise<Member[]> {
    return (await this.call('groups.addMembers', { conversationId, userIds })).members;
  }

  /** Remove members (owner or admin). @example await client.conversations.removeMembers(groupId, [carolId]); */
  async removeMembers(conversationId: string, userIds: string[]): Promise<Member[]> {
    return (await this.call('groups.removeMembers', { conversationId, userIds })).members;
  }

  /** @example await client.conversations.leaveGroup(groupId); */
  async leaveGroup(conversationId: string): Promise<void> {
    await this.call('groups.leave', { conversationId });
  }
}
