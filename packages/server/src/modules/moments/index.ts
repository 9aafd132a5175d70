import type { ContactsService } from '../contacts/index.ts';
import type { ModuleDeps } from '../deps.ts';
import type { FileReadAccess, FilesService } from '../files/index.ts';
import type { FriendsService } from '../friends/index.ts';
import type { UsersService } from '../users/index.ts';
import { MomentDraftsRepo } from './moments.drafts.repo.ts';
import { MomentInteractionsRepo } from './moments.interactions.repo.ts';
import { MomentsRepo } from './moments.repo.ts';
import { registerMomentsRoutes } from './moments.routes.ts';
import { createMomentsService, type MomentsService } from './moments.service.ts';

export type { MomentsService } from './moments.service.ts';
export { MomentsRepo, type NewPost } from './moments.repo.ts';

/** The moments module (战友圈, R-W1..W6): posts, feeds, interactions, drafts, moderation. */
export function createMomentsModule(
  deps: ModuleDeps & {
    users: UsersService;
    contacts: ContactsService;
    friends: FriendsService;
    files: FilesService;
  },
): MomentsService {
  const { db, keyring, config } = deps.platform;
  const moments = createMomentsService({
    posts: new MomentsRepo(db, keyring, deps.platform.dialect),
    interactions: new MomentInteractionsRepo(db, keyring),
    drafts: new MomentDraftsRepo(db, keyring),
    users: deps.users,
    contacts: deps.contacts,
    friends: deps.friends,
    files: deps.files,
    events: deps.events,
    limits: () => config.moments,
    now: Date.now,
  });
  registerMomentsRoutes(deps.ops, moments);
  return moments;
}

/** A file is readable when any of these says so (conversations, then moments). */
export function anyReadAccess(...sources: readonly FileReadAccess[]): FileReadAccess {
  return {
    async mayRead(userId, fileId, conversationId) {
      for (const source of sources) if (await source.mayRead(userId, fileId, conversationId)) return true;
      return false;
    },
  };
}
