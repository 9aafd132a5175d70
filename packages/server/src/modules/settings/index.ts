import type { ModuleDeps } from '../deps.ts';
import type { ImagesService } from '../images/index.ts';
import { SettingsRepo } from './settings.repo.ts';
import { registerSettingsRoutes } from './settings.routes.ts';
import { createSettingsService, type SettingsService } from './settings.service.ts';

export type { SettingsService } from './settings.service.ts';

/** The settings module: operator settings every client reads (product name, launch, welcome). */
export function createSettingsModule(
  deps: ModuleDeps & { images: ImagesService; registrationOpen?: () => Promise<boolean> },
): SettingsService {
  const settings = createSettingsService(
    new SettingsRepo(deps.platform.db),
    deps.images,
    deps.platform.config,
    Date.now,
    deps.registrationOpen,
  );
  registerSettingsRoutes(deps.ops, settings);
  return settings;
}
