import type { OperationRegistry } from '../../http/operations.ts';
import { requirePrincipal } from '../../http/principal.ts';
import type { FilesCore } from './files.service.ts';
import type { FileSettingsStore } from './files.settings.ts';

/** files.get, files.link, files.delete, files.quota, files.policy, files.settings, files.updateSettings. */
export function registerFilesOps(
  ops: OperationRegistry,
  files: FilesCore,
  settings: FileSettingsStore,
): void {
  ops.register('files.get', (req, ctx) => files.getFor(requirePrincipal(ctx), req.id, req.conversationId));
  ops.register('files.link', (req, ctx) => files.link(requirePrincipal(ctx), req));
  ops.register('files.delete', async (req, ctx) => {
    await files.delete(requirePrincipal(ctx), req.id, ctx.ip);
    return { ok: true };
  });
  ops.register('files.quota', (_req, ctx) => files.quota(requirePrincipal(ctx).userId));
  ops.register('files.policy', () => settings.policy());
  ops.register('files.settings', () => settings.get());
  ops.register('files.updateSettings', (req, ctx) => {
    const p = requirePrincipal(ctx);
    return settings.update(req, { userId: p.userId, sessionId: p.sessionId, ip: ctx.ip });
  });
}
