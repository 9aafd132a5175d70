import type { OperationRegistry } from '../../http/operations.ts';
import { requirePrincipal } from '../../http/principal.ts';
import type { ContactsService } from './contacts.service.ts';

/** contacts.*: thin wrappers over the service. */
export function registerContactsRoutes(ops: OperationRegistry, contacts: ContactsService): void {
  ops.register('contacts.list', async (_req, ctx) => ({
    contacts: await contacts.list(requirePrincipal(ctx)),
  }));
  ops.register('contacts.add', async (req, ctx) =>
    contacts.add(requirePrincipal(ctx), req.userId, req.remark),
  );
  ops.register('contacts.remove', async (req, ctx) => {
    await contacts.remove(requirePrincipal(ctx), req.userId);
    return { ok: true as const };
  });
  ops.register('contacts.setRemark', async (req, ctx) =>
    contacts.setRemark(requirePrincipal(ctx), req.userId, req.remark),
  );
}
