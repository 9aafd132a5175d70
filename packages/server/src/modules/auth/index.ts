import type { SmsProvider } from '../../platform/sms/index.ts';
import type { ModuleDeps } from '../deps.ts';
import type { UsersService } from '../users/index.ts';
import { AuthEvidence, type EvidenceSink } from './auth.evidence.ts';
import { registerAuthRoutes } from './auth.routes.ts';
import { createAuthService, type AuthService } from './auth.service.ts';
import { LockoutRepo } from './lockout.repo.ts';
import { Lockout } from './lockout.service.ts';
import { primeDummyHash } from './passwords.ts';
import { RevokedSessions } from './revocations.ts';
import { SessionsRepo } from './sessions.repo.ts';
import { revocationWindowMs, Sessions } from './sessions.service.ts';
import { SmsCodesRepo } from './sms-codes.repo.ts';
import { SmsCodes } from './sms-codes.service.ts';
import { AccessTokens } from './tokens.ts';

export type { AuthService, CreatedAdmin, NewAdmin } from './auth.service.ts';
export { maskPhone } from './auth.evidence.ts';
export { ensureFirstAdmin, DEFAULT_ADMIN_PHONE } from './first-admin.ts';
export type { FirstAdminOptions, FirstAdminResult } from './first-admin.ts';
export { REVOKED_SUBJECT } from './revocations.ts';
export type { Revocation } from './revocations.ts';

/** The auth module: SMS codes, registration, logins, sessions and access-token verification. */
export function createAuthModule(
  deps: ModuleDeps & {
    users: UsersService;
    sms: SmsProvider;
    /** Runtime registration switch (system settings); default: the config. */
    registrationOpen?: () => Promise<boolean>;
    /** Told about every login and registration (usage statistics). */
    onLogin?: (userId: string, at: number) => void;
    /** The audit log, for sign-in and session evidence. */
    audit?: EvidenceSink;
    /** The license's seat check; default: the config's cap. */
    seats?: { ensureSeat(): Promise<void> };
  },
): AuthService {
  const { platform } = deps;
  const config = platform.config;
  const repo = new SessionsRepo(platform.db);
  const evidence = new AuthEvidence(deps.audit ?? null, platform.log, (phone) =>
    platform.keyring.blindIndex('audit-phone', phone),
  );
  const revoked = new RevokedSessions(platform.broker, platform.log);
  const window = revocationWindowMs(config.auth);
  const loaded = revoked
    .start(async () => {
      const rows = await repo.revokedSince(Date.now() - window);
      return rows.map((r) => ({ sessionId: r.id, until: r.revokedAt + window }));
    })
    .catch((err: unknown) => {
      // Still serve: revocations from the broker keep arriving; only older ones are unknown here.
      platform.log.error({ err }, 'could not load recent session revocations');
    });
  const sessions = new Sessions(
    {
      repo,
      tokens: new AccessTokens(platform.keyring.jwtKey(), config.auth.accessTtlSeconds),
      revoked,
      users: deps.users,
      events: deps.events,
      config: config.auth,
      evidence,
      ...(deps.onLogin ? { onOpened: deps.onLogin } : {}),
    },
    loaded,
  );
  const auth = createAuthService({
    users: deps.users,
    sessions,
    codes: new SmsCodes(new SmsCodesRepo(platform.db), platform.keyring, deps.sms, config.auth),
    lockout: new Lockout(new LockoutRepo(platform.db), platform.keyring, config.auth),
    config,
    evidence,
    ...(deps.seats ? { seats: deps.seats } : {}),
    ...(deps.registrationOpen ? { registrationOpen: deps.registrationOpen } : {}),
    onClose: () => revoked.close(),
  });
  registerAuthRoutes(deps.ops, auth);
  void primeDummyHash();
  return auth;
}
