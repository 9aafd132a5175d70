// PLACEHOLDER: the messaging helper replaces this file.
import type { ModuleDeps } from '../deps.ts';
import type { UsersService } from '../users/index.ts';

export type ConversationsService = object;

export function createConversationsModule(_deps: ModuleDeps & { users: UsersService }): ConversationsService {
  return {};
}
