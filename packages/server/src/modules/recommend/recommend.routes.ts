import type { OperationRegistry } from '../../http/operations.ts';
import { requirePrincipal } from '../../http/principal.ts';
import type { RecommendService } from './recommend.service.ts';

/** friends.recommendations and friends.dismissRecommendation (any signed-in user, for themself). */
export function registerRecommendRoutes(ops: OperationRegistry, recommend: RecommendService): void {
  ops.register('friends.recommendations', (req, ctx) =>
    recommend.recommendations(requirePrincipal(ctx), req.limit),
  );
  ops.register('friends.dismissRecommendation', async (req, ctx) => {
    await recommend.dismiss(requirePrincipal(ctx), req.userId);
    return { ok: true as const };
  });
}
