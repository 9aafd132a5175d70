import type { Logger } from '../../platform/logger.ts';
import type { AuditEntry } from '../audit/index.ts';

/** Where auth evidence goes: the audit log (absent in CLI commands that build the module alone). */
export interface EvidenceSink {
  append(entry: AuditEntry): Promise<unknown>;
}

/** `138****5678`: enough for a person to recognise, not enough to dial. */
export function maskPhone(phone: string): string {
  const digits = phone.startsWith('+86') ? phone.slice(3) : phone;
  if (digits.length < 7) return '*'.repeat(digits.length);
  return `${digits.slice(0, 3)}****${digits.slice(-4)}`;
}

/**
 * A keyed digest of a phone (the keyring's blind index), so records about one number can be correlated
 * without storing it. Keyed because the masked number beside it leaves only 10⁴ candidates: a plain
 * hash would give the number away to anyone who reads the record.
 */
export type PhoneDigest = (phone: string) => string;

export interface LoginFacts {
  method: 'password' | 'sms' | 'vouched' | 'register';
  phone?: string;
  deviceId?: string;
  ip?: string;
}

/**
 * Sign-in and session evidence (`auth.*`, `security.*` records). Never the password or a token; the
 * phone only masked and as a digest. A failing audit write is logged, not thrown: a login's outcome
 * does not depend on it.
 */
export class AuthEvidence {
  constructor(
    private readonly sink: EvidenceSink | null,
    private readonly log: Logger,
    private readonly phoneDigest: PhoneDigest,
  ) {}

  private phoneFields(phone: string | undefined): Record<string, string> {
    return phone === undefined ? {} : { phone: maskPhone(phone), phoneDigest: this.phoneDigest(phone) };
  }

  private async write(entry: AuditEntry): Promise<void> {
    if (!this.sink) return;
    try {
      await this.sink.append(entry);
    } catch (err) {
      this.log.error({ err, action: entry.action }, 'could not write auth evidence');
    }
  }

  loginSucceeded(userId: string, f: LoginFacts): Promise<void> {
    return this.write({
      category: 'auth',
      action: f.method === 'register' ? 'auth.register' : 'auth.login',
      actorId: userId,
      subject: userId,
      deviceId: f.deviceId ?? null,
      ip: f.ip ?? null,
      details: { method: f.method, ...this.phoneFields(f.phone) },
    });
  }

  loginFailed(f: LoginFacts, reason: string): Promise<void> {
    return this.write({
      category: 'auth',
      action: 'auth.login.failed',
      actorId: null,
      deviceId: f.deviceId ?? null,
      ip: f.ip ?? null,
      details: { method: f.method, reason, ...this.phoneFields(f.phone) },
    });
  }

  lockedOut(phone: string, ip: string | undefined): Promise<void> {
    return this.write({
      category: 'security',
      action: 'security.lockout',
      actorId: null,
      ip: ip ?? null,
      details: this.phoneFields(phone),
    });
  }

  loggedOut(userId: string, sessionId: string): Promise<void> {
    return this.write({
      category: 'auth',
      action: 'auth.logout',
      actorId: userId,
      subject: userId,
      details: { sessionId },
    });
  }

  /** Sessions ended for a reason other than the user's own logout (admin, password, theft). */
  sessionsRevoked(userId: string, sessionIds: readonly string[], reason: string): Promise<void> {
    if (sessionIds.length === 0) return Promise.resolve();
    return this.write({
      category: 'security',
      action: 'security.sessions.revoked',
      actorId: null,
      subject: userId,
      targetIds: [userId],
      details: { reason, sessionIds: [...sessionIds] },
    });
  }
}
