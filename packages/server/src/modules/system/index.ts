import type { SmsProvider } from '../../platform/sms/index.ts';
import type { AuditLog } from '../audit/index.ts';
import type { ModuleDeps } from '../deps.ts';
import { SystemRepo } from './system.repo.ts';
import { registerSystemRoutes } from './system.routes.ts';
import { createSystemService, type SystemService } from './system.service.ts';
import { RuntimeSmsProvider } from './system.sms.ts';

export type { SystemService } from './system.service.ts';
export { DEFAULT_WATERMARK_TEMPLATE } from './system.service.ts';

export interface SystemModule {
  service: SystemService;
  /** Sends through the gateway in force (runtime settings over the config); give it to the auth module. */
  sms: SmsProvider;
}

/**
 * Runtime system settings (watermark, recall window, registration, SMS gateway) that override the
 * config on every node, and the API catalogue operation. Built before the modules that read them.
 */
export function createSystemModule(
  deps: ModuleDeps & { audit: AuditLog; sms: SmsProvider; openApi: () => unknown },
): SystemModule {
  const { platform } = deps;
  const service = createSystemService({
    repo: new SystemRepo(platform.db),
    keyring: platform.keyring,
    config: platform.config,
    audit: deps.audit,
    broker: platform.broker,
  });
  const sms = new RuntimeSmsProvider(deps.sms, () => service.effectiveSms(), platform.log);
  registerSystemRoutes(deps.ops, { system: service, sms, audit: deps.audit, openApi: deps.openApi });
  return { service, sms };
}
