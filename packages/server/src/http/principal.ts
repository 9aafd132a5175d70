import type { Role } from '@zhixin/protocol';

/** Who is calling: from a verified access token. */
export interface Principal {
  userId: string;
  sessionId: string;
  role: Role;
}

/** Verifies access tokens; implemented by the auth module. */
export interface Authenticator {
  /** Throws AppError TOKEN_EXPIRED, TOKEN_INVALID or SESSION_REVOKED. */
  verifyAccessToken(token: string): Promise<Principal>;
  /**
   * Whether a session has not ended (logout, device revoke, password change...): capabilities
   * issued to a session, like signed download links, die with it. Absent: every session counts as live.
   */
  sessionIsLive?(sessionId: string): Promise<boolean>;
}

export interface CallContext {
  principal: Principal | null;
  ip: string;
}

/** The principal of a call to a non-public operation (the registry checked it before calling). */
export function requirePrincipal(ctx: CallContext): Principal {
  if (!ctx.principal) throw new Error('operation called without a principal');
  return ctx.principal;
}
