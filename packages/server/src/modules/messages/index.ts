// PLACEHOLDER: the messaging helper replaces this file.
import type { ModuleDeps } from '../deps.ts';
import type { ConversationsService } from '../conversations/index.ts';

export interface MessagesService {
  /** Finish pending group commits; called on shutdown. */
  close(): Promise<void>;
}

export function createMessagesModule(_deps: ModuleDeps & { conversations: ConversationsService }): MessagesService {
  return { close: async () => {} };
}
