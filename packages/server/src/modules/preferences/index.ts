import type { ModuleDeps } from '../deps.ts';
import { PreferencesRepo } from './preferences.repo.ts';
import { registerPreferencesRoutes } from './preferences.routes.ts';
import { createPreferencesService, type PreferencesService } from './preferences.service.ts';

export type { PreferencesService } from './preferences.service.ts';
export { DEFAULT_PREFERENCES } from './preferences.service.ts';

/** The preferences module: each user's client preferences, shared by all their devices. */
export function createPreferencesModule(deps: ModuleDeps): PreferencesService {
  const preferences = createPreferencesService(new PreferencesRepo(deps.platform.db), deps.events);
  registerPreferencesRoutes(deps.ops, preferences);
  return preferences;
}
