import type { AuthService } from '../auth/index.ts';
import type { ConversationsService } from '../conversations/index.ts';
import type { ModuleDeps } from '../deps.ts';
import type { UsersService } from '../users/index.ts';
import { CodesRepo } from './codes.repo.ts';
import { registerCodesRoutes } from './codes.routes.ts';
import { createSecurityCodesService, type SecurityCodesService } from './codes.service.ts';
import { createQuickLogin } from './quick-login.service.ts';

export type { SecurityCodesService } from './codes.service.ts';

/** The security-codes module (R-C7): user codes, scans, directed transfers and quick login. */
export function createSecurityCodesModule(
  deps: ModuleDeps & { users: UsersService; auth: AuthService; conversations: ConversationsService },
): SecurityCodesService {
  const { platform } = deps;
  const repo = new CodesRepo(platform.db, platform.keyring);
  const config = platform.config.codes;
  const service = createSecurityCodesService({
    repo,
    codes: deps.codes,
    users: deps.users,
    conversations: deps.conversations,
    quickLogin: createQuickLogin({
      repo,
      codes: deps.codes,
      auth: deps.auth,
      users: deps.users,
      ttlMs: config.quickLoginTtlSeconds * 1000,
    }),
    defaultValidityDays: config.userValidityDays,
  });
  registerCodesRoutes(deps.ops, service);
  return service;
}
