import type { OperationRegistry } from '../../http/operations.ts';
import { requirePrincipal } from '../../http/principal.ts';
import type { AuthService } from './auth.service.ts';

const OK = { ok: true as const };

/** auth.* operations: thin wrappers over the service. */
export function registerAuthRoutes(ops: OperationRegistry, auth: AuthService): void {
  ops.register('auth.sendSmsCode', async (req) => auth.sendSmsCode(req));
  ops.register('auth.register', async (req) => auth.register(req));
  ops.register('auth.loginPassword', async (req, ctx) => auth.loginPassword(req, ctx.ip));
  ops.register('auth.loginSms', async (req, ctx) => auth.loginSms(req, ctx.ip));
  ops.register('auth.resetPassword', async (req) => {
    await auth.resetPassword(req);
    return OK;
  });
  ops.register('auth.refresh', async (req) => auth.refresh(req.refreshToken));
  ops.register('auth.logout', async (_req, ctx) => {
    await auth.logout(requirePrincipal(ctx));
    return OK;
  });
  ops.register('auth.changePassword', async (req, ctx) => {
    await auth.changePassword(requirePrincipal(ctx), req);
    return OK;
  });
  ops.register('auth.devices', async (_req, ctx) => ({ devices: await auth.devices(requirePrincipal(ctx)) }));
  ops.register('auth.revokeDevice', async (req, ctx) => {
    await auth.revokeDevice(requirePrincipal(ctx), req.sessionId);
    return OK;
  });
}
