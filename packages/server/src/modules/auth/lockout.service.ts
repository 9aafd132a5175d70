import type { Config } from '../../config.ts';
import { AppError } from '../../errors.ts';
import type { Keyring } from '../../platform/crypto/index.ts';
import type { LockoutRepo } from './lockout.repo.ts';

/**
 * Locks a phone's logins after `loginMaxFailures` failures for `lockoutMinutes`. Keyed by the phone,
 * registered or not, so a lock reveals nothing about which numbers have accounts.
 */
export class Lockout {
  constructor(
    private readonly repo: LockoutRepo,
    private readonly keyring: Keyring,
    private readonly config: Config['auth'],
  ) {}

  private key(phone: string): string {
    return this.keyring.blindIndex('login', phone);
  }

  private get windowMs(): number {
    return this.config.lockoutMinutes * 60_000;
  }

  /** Throws ACCOUNT_LOCKED (details.retryAfterSeconds) while the phone is locked. */
  async check(phone: string): Promise<void> {
    const until = await this.repo.lockedUntil(this.key(phone));
    const now = Date.now();
    if (until !== null && until > now) {
      throw new AppError('ACCOUNT_LOCKED', { retryAfterSeconds: Math.ceil((until - now) / 1000) });
    }
  }

  /** Count a failure; true when this one locked the phone. */
  async fail(phone: string): Promise<boolean> {
    const now = Date.now();
    const key = this.key(phone);
    const failures = await this.repo.addFailure(key, now, now - this.windowMs);
    if (failures < this.config.loginMaxFailures) return false;
    await this.repo.lock(key, now + this.windowMs, now);
    return true;
  }

  async clear(phone: string): Promise<void> {
    await this.repo.clear(this.key(phone));
  }
}
