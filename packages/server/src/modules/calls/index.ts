import { AppError } from '../../errors.ts';
import { iceServersFor } from '../../platform/media/index.ts';
import type { ConversationsService } from '../conversations/index.ts';
import type { ModuleDeps } from '../deps.ts';
import type { MessagesService } from '../messages/index.ts';
import { CallsRepo } from './calls.repo.ts';
import { registerCallsRoutes } from './calls.routes.ts';
import { createCallsService, type CallsService } from './calls.service.ts';

export type { CallsService } from './calls.service.ts';
export { durationOf, recordOf, transition, type CallAction } from './call.machine.ts';

/** 1:1 calls (R-X3, R-X4): registers calls.*. */
export function createCallsModule(
  deps: ModuleDeps & {
    conversations: ConversationsService;
    messages: MessagesService;
    blocks: { isBlocked(ownerId: string, otherId: string): Promise<boolean> };
    /** Whether this node is the cluster's leader (runs the sweep of unanswered calls). */
    leads?: () => boolean;
  },
): CallsService {
  const { platform, conversations } = deps;
  const calls = createCallsService({
    repo: new CallsRepo(platform.db, platform.dialect),
    events: deps.events,
    log: platform.log,
    async directPeers(conversationId, userId) {
      const membership = await conversations.requireMember(conversationId, userId);
      const peerId = membership.memberIds.find((id) => id !== userId);
      if (membership.kind !== 'direct' || peerId === undefined) {
        throw new AppError('BAD_REQUEST', { reason: 'calls are made in a direct chat with someone else' });
      }
      return { peerId };
    },
    isBlocked: (ownerId, otherId) => deps.blocks.isBlocked(ownerId, otherId),
    postSystem: (conversationId, actorId, content) =>
      deps.messages.postSystem(conversationId, actorId, content),
    iceServers: (userId) => iceServersFor(platform.config.media, userId),
    ringMs: platform.config.calls.ringSeconds * 1000,
    ...(deps.leads ? { sweepsHere: deps.leads } : {}),
  });
  registerCallsRoutes(deps.ops, calls);
  return calls;
}
