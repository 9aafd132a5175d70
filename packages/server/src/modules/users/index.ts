// PLACEHOLDER: the accounts helper replaces this file.
import type { ModuleDeps } from '../deps.ts';

export interface UsersService {
  /** The ids among `ids` that belong to existing, active users. */
  existing(ids: readonly string[]): Promise<Set<string>>;
}

export function createUsersModule(_deps: ModuleDeps): UsersService {
  return { existing: async () => new Set() };
}
