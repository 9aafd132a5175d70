import type { ModuleDeps } from '../deps.ts';
import { RecommendRepo } from './recommend.repo.ts';
import { registerRecommendRoutes } from './recommend.routes.ts';
import {
  createRecommendService,
  type RecommendService,
  type RecommendServiceDeps,
} from './recommend.service.ts';

export type { RecommendService } from './recommend.service.ts';

/** Friend recommendation ("people you may know", R-R1): mutual friends, shared groups, department. */
export function createRecommendModule(
  deps: ModuleDeps & Omit<RecommendServiceDeps, 'repo' | 'now'>,
): RecommendService {
  const service = createRecommendService({
    repo: new RecommendRepo(deps.platform.db),
    users: deps.users,
    contacts: deps.contacts,
    conversations: deps.conversations,
    directory: deps.directory,
    friends: deps.friends,
  });
  registerRecommendRoutes(deps.ops, service);
  return service;
}
