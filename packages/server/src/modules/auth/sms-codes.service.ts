import { randomInt } from 'node:crypto';
import type { SendSmsCodeResult, SmsPurpose } from '@zhixin/protocol';
import type { Config } from '../../config.ts';
import { AppError } from '../../errors.ts';
import type { Keyring } from '../../platform/crypto/index.ts';
import type { SmsProvider } from '../../platform/sms/index.ts';
import type { SmsCodesRepo } from './sms-codes.repo.ts';

const DAY_MS = 86_400_000;

/**
 * One-time SMS codes: 6 random digits, stored only as a keyed hash, valid `smsCodeTtlSeconds`,
 * burned after `smsMaxAttempts` wrong tries, resent no sooner than `smsResendSeconds` per phone and
 * purpose, and at most `smsMaxPerPhonePerDay` to a phone in any 24 hours.
 */
export class SmsCodes {
  constructor(
    private readonly repo: SmsCodesRepo,
    private readonly keyring: Keyring,
    private readonly sms: SmsProvider,
    private readonly config: Config['auth'],
  ) {}

  private phoneIndex(phone: string): string {
    return this.keyring.blindIndex('phone', phone);
  }

  // Keyed, so a copy of the table does not give the codes away (a million guesses would, unkeyed).
  private hash(phoneIndex: string, purpose: string, code: string): string {
    return this.keyring.blindIndex('sms-code', `${phoneIndex}\0${purpose}\0${code}`);
  }

  /**
   * Issue a code for an E.164 phone. With `deliver` false everything happens (limits, a stored code)
   * except the SMS itself: the caller's answer is the same whether or not the phone has an account.
   */
  async issue(phone: string, purpose: SmsPurpose, deliver: boolean): Promise<SendSmsCodeResult> {
    const now = Date.now();
    const index = this.phoneIndex(phone);
    const last = await this.repo.lastSentAt(index, purpose);
    const resendMs = this.config.smsResendSeconds * 1000;
    if (last !== null && now - last < resendMs) {
      throw new AppError('RATE_LIMITED', { retryAfterSeconds: Math.ceil((last + resendMs - now) / 1000) });
    }
    const day = await this.repo.sendsSince(index, now - DAY_MS);
    if (day.count >= this.config.smsMaxPerPhonePerDay) {
      const oldest = day.oldest ?? now;
      throw new AppError('RATE_LIMITED', {
        retryAfterSeconds: Math.max(1, Math.ceil((oldest + DAY_MS - now) / 1000)),
        reason: 'daily_limit',
      });
    }
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    await this.repo.putCode(
      index,
      purpose,
      this.hash(index, purpose, code),
      now + this.config.smsCodeTtlSeconds * 1000,
      now,
    );
    // A carrier failure throws before the send is logged, so the user may retry at once.
    if (deliver) await this.sms.send(phone, code, purpose);
    await this.repo.recordSend(index, purpose, now, now - DAY_MS);
    return { retryAfterSeconds: this.config.smsResendSeconds };
  }

  /** Use up a code; SMS_CODE_INVALID when it is wrong, expired, burned or was never sent. */
  async consume(phone: string, purpose: SmsPurpose, code: string): Promise<void> {
    const index = this.phoneIndex(phone);
    const codeHash = this.hash(index, purpose, code);
    if (await this.repo.take(index, purpose, codeHash, Date.now())) return;
    await this.repo.failAttempt(index, purpose, this.config.smsMaxAttempts);
    throw new AppError('SMS_CODE_INVALID');
  }
}
