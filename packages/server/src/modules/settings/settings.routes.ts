import type { OperationRegistry } from '../../http/operations.ts';
import type { SettingsService } from './settings.service.ts';

/** settings.client (public) and settings.updateClient (administrators; the registry checks). */
export function registerSettingsRoutes(ops: OperationRegistry, settings: SettingsService): void {
  ops.register('settings.client', async () => settings.client());
  ops.register('settings.updateClient', async (req) => settings.updateClient(req));
}
