import type { OperationRegistry } from '../../http/operations.ts';
import { requirePrincipal } from '../../http/principal.ts';
import type { PreferencesService } from './preferences.service.ts';

/** users.preferences and users.updatePreferences: thin wrappers over the service. */
export function registerPreferencesRoutes(ops: OperationRegistry, preferences: PreferencesService): void {
  ops.register('users.preferences', async (_req, ctx) => preferences.get(requirePrincipal(ctx).userId));
  ops.register('users.updatePreferences', async (req, ctx) => preferences.update(requirePrincipal(ctx), req));
}
