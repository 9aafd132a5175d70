import { OpenApiDocument } from '@zhixin/protocol';
import { Value } from 'typebox/value';
import type { OperationRegistry } from '../../http/operations.ts';
import { requirePrincipal } from '../../http/principal.ts';
import type { SmsProvider } from '../../platform/sms/index.ts';
import type { AuditLog } from '../audit/index.ts';
import type { SystemService } from './system.service.ts';

export interface SystemRouteDeps {
  system: SystemService;
  sms: SmsProvider;
  audit: Pick<AuditLog, 'append'>;
  /** The OpenAPI document, once the HTTP server has every route. */
  openApi: () => unknown;
}

/** A six-digit code that says it is a test; the template decides how the carrier words it. */
const TEST_CODE = '000000';

/** system.settings (operators), system.updateSettings / system.testSms (administrators), system.clientPolicy, system.apiCatalogue. */
export function registerSystemRoutes(ops: OperationRegistry, d: SystemRouteDeps): void {
  ops.register('system.settings', () => d.system.settings());
  ops.register('system.updateSettings', (req, ctx) =>
    d.system.update(requirePrincipal(ctx).userId, req, ctx.ip),
  );
  ops.register('system.clientPolicy', () => d.system.clientPolicy());
  ops.register('system.testSms', async (req, ctx) => {
    const actorId = requirePrincipal(ctx).userId;
    await d.sms.send(req.phone, TEST_CODE, 'test');
    await d.audit.append({
      category: 'admin',
      action: 'admin.system.testSms',
      actorId,
      subject: 'system.sms',
      ip: ctx.ip,
      details: { provider: (await d.system.settings()).sms.provider },
    });
    return { ok: true as const };
  });
  ops.register('system.apiCatalogue', async () => {
    const doc = d.openApi();
    if (!Value.Check(OpenApiDocument, doc)) throw new Error('the OpenAPI document is not ready');
    return doc;
  });
}
