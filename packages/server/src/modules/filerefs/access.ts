import type { ConversationsService } from '../conversations/index.ts';
import type { FileReadAccess } from '../files/index.ts';
import type { FileRefsRepo } from './filerefs.repo.ts';

/** Without a conversation named, this many conversations sharing the file are looked at. */
const MAX_CONVERSATIONS_CHECKED = 200;

/**
 * Who may read a file besides its owner: a member of a conversation where a message that is not
 * recalled carries it (forwards included: they reference the same file).
 */
export function createReadAccess(repo: FileRefsRepo, conversations: ConversationsService): FileReadAccess {
  const isMember = async (conversationId: string, userId: string) =>
    (await conversations.membership(conversationId))?.has(userId) ?? false;
  return {
    async mayRead(userId, fileId, conversationId) {
      if (conversationId !== undefined)
        return (await isMember(conversationId, userId)) && (await repo.sharedIn(fileId, conversationId));
      for (const id of await repo.conversationsOf(fileId, MAX_CONVERSATIONS_CHECKED)) {
        if (await isMember(id, userId)) return true;
      }
      return false;
    },
  };
}
