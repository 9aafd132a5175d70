import type {
  ChangePasswordBody,
  Device,
  DeviceInfo,
  PasswordLoginBody,
  RegisterBody,
  ResetPasswordBody,
  SendSmsCodeBody,
  SendSmsCodeResult,
  Session,
  SmsLoginBody,
} from '@zhixin/protocol';
import type { Config } from '../../config.ts';
import { AppError, isAppError } from '../../errors.ts';
import type { Authenticator, Principal } from '../../http/principal.ts';
import { normalizePhone, type Account, type UsersService } from '../users/index.ts';
import type { AuthEvidence, LoginFacts } from './auth.evidence.ts';
import type { Lockout } from './lockout.service.ts';
import {
  checkPasswordPolicy,
  generatePassword,
  hashPassword,
  verifyNothing,
  verifyPassword,
} from './passwords.ts';
import type { Sessions } from './sessions.service.ts';
import type { SmsCodes } from './sms-codes.service.ts';

export interface NewAdmin {
  phone: string;
  /** Generated (and returned once) when absent. */
  password?: string;
  /** Defaults to 管理员. */
  nickname?: string;
}

export interface CreatedAdmin {
  userId: string;
  /** E.164. */
  phone: string;
  password: string;
  /** Whether the password was generated (and must be shown to the operator once). */
  generated: boolean;
}

/** Registration, logins, passwords and sessions. Also verifies access tokens for HTTP and WS. */
export interface AuthService extends Authenticator {
  sendSmsCode(body: SendSmsCodeBody): Promise<SendSmsCodeResult>;
  register(body: RegisterBody): Promise<Session>;
  /** `ip` goes into the sign-in evidence. */
  loginPassword(body: PasswordLoginBody, ip?: string): Promise<Session>;
  loginSms(body: SmsLoginBody, ip?: string): Promise<Session>;
  /**
   * A session for a device another signed-in device of the user vouched for (quick login by QR
   * code). NOT_FOUND for an unknown user, ACCOUNT_DISABLED for a disabled one.
   */
  loginVouched(userId: string, device: DeviceInfo): Promise<Session>;
  /** Set a new password with an SMS code; every session of the user ends. */
  resetPassword(body: ResetPasswordBody): Promise<void>;
  refresh(refreshToken: string): Promise<Session>;
  logout(p: Principal): Promise<void>;
  /** Every other session of the user ends. */
  changePassword(p: Principal, body: ChangePasswordBody): Promise<void>;
  devices(p: Principal): Promise<Device[]>;
  revokeDevice(p: Principal, sessionId: string): Promise<void>;
  /** Create an administrator (CLI, first start). Not counted against the license check. */
  createAdmin(input: NewAdmin): Promise<CreatedAdmin>;
  /**
   * Create an ordinary user without a password (directory imports): they log in by SMS code.
   * Takes a license seat (LICENSE_EXHAUSTED); PHONE_TAKEN when the phone is registered.
   */
  provisionUser(input: { phone: string; nickname: string }): Promise<{ userId: string }>;
  /** Disable (every session ends) or re-enable a user. NOT_FOUND for an unknown id. */
  setUserDisabled(userId: string, disabled: boolean): Promise<void>;
  /** End every session of a user (e.g. after an admin action); `reason` goes into the evidence. */
  revokeUserSessions(userId: string, reason?: string): Promise<number>;
  /** End one session of a user (staff force logout); NOT_FOUND when it is not a live session of theirs. */
  revokeUserSession(userId: string, sessionId: string): Promise<number>;
  /** A user's live sessions (the console's user detail). */
  devicesOf(userId: string): Promise<Device[]>;
  /**
   * Staff password reset: set `password`, or generate a one-time one (answered once). Every session
   * of the user ends. NOT_FOUND for an unknown user.
   */
  adminResetPassword(
    userId: string,
    password?: string,
  ): Promise<{ password: string | null; generated: boolean }>;
  /** Stop listening for other nodes' revocations. */
  close(): void;
}

export interface AuthServiceDeps {
  users: UsersService;
  sessions: Sessions;
  codes: SmsCodes;
  lockout: Lockout;
  config: Config;
  /** The license: whether one more user may take a seat (default: the config's cap). */
  seats?: { ensureSeat(): Promise<void> };
  evidence?: AuthEvidence;
  /** Whether registration is open now (runtime system settings); default: the config. */
  registrationOpen?: () => Promise<boolean>;
  onClose: () => void;
}

const ADMIN_NICKNAME = '管理员';

function checkNickname(nickname: string): void {
  if (!nickname.trim()) throw AppError.validation([{ path: '/nickname', message: 'must not be blank' }]);
}

export function createAuthService(d: AuthServiceDeps): AuthService {
  const { users, sessions, codes, lockout } = d;

  async function ensureSeat(): Promise<void> {
    if (d.seats) return d.seats.ensureSeat();
    const used = await users.countActive();
    const max = d.config.license.maxUsers;
    if (used >= max) throw new AppError('LICENSE_EXHAUSTED', { maxUsers: max });
  }

  async function ensureRegistrationOpen(): Promise<void> {
    const open = d.registrationOpen ? await d.registrationOpen() : d.config.auth.registrationOpen;
    if (!open) throw new AppError('REGISTRATION_CLOSED');
  }

  function mustBeActive(account: Account): void {
    if (account.status !== 'active') throw new AppError('ACCOUNT_DISABLED');
  }

  /** A failed attempt: counted, and a lockout it causes is evidence. */
  async function failed(phone: string, ip: string | undefined): Promise<void> {
    if (await lockout.fail(phone)) await d.evidence?.lockedOut(phone, ip);
  }

  /** Run a login and record its outcome (success or the error code; never the secret). */
  async function witnessed(facts: LoginFacts, login: () => Promise<Session>): Promise<Session> {
    let session: Session;
    try {
      session = await login();
    } catch (err) {
      await d.evidence?.loginFailed(facts, isAppError(err) ? err.code : 'INTERNAL');
      throw err;
    }
    await d.evidence?.loginSucceeded(session.userId, facts);
    return session;
  }

  return {
    verifyAccessToken: (token) => sessions.verifyAccessToken(token),

    sessionIsLive: (sessionId) => sessions.isLive(sessionId),

    async sendSmsCode(body) {
      const phone = normalizePhone(body.phone);
      if (body.purpose === 'register') {
        await ensureRegistrationOpen();
        await ensureSeat();
        // Sent even for a registered phone: its owner then learns at registration that it is taken.
        return codes.issue(phone, body.purpose, true);
      }
      // Unknown phones get the same answer but no SMS: no account enumeration.
      const exists = (await users.accountByPhone(phone)) !== null;
      return codes.issue(phone, body.purpose, exists);
    },

    async register(body) {
      const phone = normalizePhone(body.phone);
      checkNickname(body.nickname);
      await ensureRegistrationOpen();
      await ensureSeat();
      // Before the code is used up, so the person can choose a better password with the same code.
      checkPasswordPolicy(body.password, phone);
      // The code first: only the phone's owner may learn that it is already registered.
      await codes.consume(phone, 'register', body.code);
      const passwordHash = await hashPassword(body.password);
      const account = await users.createAccount({
        phone,
        passwordHash,
        nickname: body.nickname,
        role: 'user',
      });
      const session = await sessions.open(account, body.device);
      await d.evidence?.loginSucceeded(account.id, {
        method: 'register',
        phone,
        deviceId: body.device.deviceId,
      });
      return session;
    },

    async loginPassword(body, ip) {
      const phone = normalizePhone(body.phone);
      const facts = { method: 'password' as const, phone, deviceId: body.device.deviceId, ip };
      return witnessed(facts, async () => {
        await lockout.check(phone);
        const account = await users.accountByPhone(phone);
        const ok = account
          ? await verifyPassword(account.passwordHash, body.password)
          : await verifyNothing(body.password);
        if (!account || !ok) {
          await failed(phone, ip);
          throw new AppError('INVALID_CREDENTIALS');
        }
        mustBeActive(account);
        await lockout.clear(phone);
        return sessions.open(account, body.device);
      });
    },

    async loginSms(body, ip) {
      const phone = normalizePhone(body.phone);
      const facts = { method: 'sms' as const, phone, deviceId: body.device.deviceId, ip };
      return witnessed(facts, async () => {
        await lockout.check(phone);
        try {
          await codes.consume(phone, 'login', body.code);
        } catch (err) {
          await failed(phone, ip);
          throw err;
        }
        const account = await users.accountByPhone(phone);
        // No code was ever delivered to an unknown phone; answer as for a wrong code.
        if (!account) throw new AppError('SMS_CODE_INVALID');
        mustBeActive(account);
        await lockout.clear(phone);
        return sessions.open(account, body.device);
      });
    },

    async loginVouched(userId, device) {
      const account = await users.account(userId);
      if (!account) throw AppError.notFound('user');
      mustBeActive(account);
      return sessions.open(account, device);
    },

    async resetPassword(body) {
      const phone = normalizePhone(body.phone);
      checkPasswordPolicy(body.password, phone);
      await codes.consume(phone, 'reset_password', body.code);
      const account = await users.accountByPhone(phone);
      if (!account) throw new AppError('SMS_CODE_INVALID');
      mustBeActive(account);
      await users.setPasswordHash(account.id, await hashPassword(body.password));
      await sessions.revokeAllForUser(account.id, undefined, 'password_reset');
      // Proving the phone is also the way out of a lockout.
      await lockout.clear(phone);
    },

    refresh: (refreshToken) => sessions.refresh(refreshToken),

    async logout(p) {
      await sessions.revokeIds([p.sessionId]);
      await d.evidence?.loggedOut(p.userId, p.sessionId);
    },

    async changePassword(p, body) {
      const account = await users.account(p.userId);
      if (!account) throw AppError.notFound('user');
      await lockout.check(account.phone);
      if (!(await verifyPassword(account.passwordHash, body.oldPassword))) {
        await lockout.fail(account.phone);
        throw new AppError('INVALID_CREDENTIALS');
      }
      checkPasswordPolicy(body.newPassword, account.phone);
      await users.setPasswordHash(account.id, await hashPassword(body.newPassword));
      await sessions.revokeAllForUser(account.id, p.sessionId, 'password_changed');
    },

    devices: (p) => sessions.devices(p),

    revokeDevice: (p, sessionId) => sessions.revokeDevice(p, sessionId),

    async createAdmin(input) {
      const phone = normalizePhone(input.phone);
      const generated = input.password === undefined;
      const password = input.password ?? generatePassword();
      if (password.length < 8 || password.length > 128) {
        throw AppError.validation([{ path: '/password', message: 'between 8 and 128 characters' }]);
      }
      checkPasswordPolicy(password, phone);
      const nickname = input.nickname ?? ADMIN_NICKNAME;
      checkNickname(nickname);
      const account = await users.createAccount({
        phone,
        passwordHash: await hashPassword(password),
        nickname,
        role: 'admin',
      });
      return { userId: account.id, phone, password, generated };
    },

    async provisionUser(input) {
      checkNickname(input.nickname);
      await ensureSeat();
      // An empty hash never verifies (verifyPassword answers false), so only SMS logins work.
      const account = await users.createAccount({
        phone: input.phone,
        passwordHash: '',
        nickname: input.nickname,
        role: 'user',
      });
      return { userId: account.id };
    },

    async setUserDisabled(userId, disabled) {
      const account = await users.account(userId);
      if (!account) throw AppError.notFound('user');
      // Enabling takes a license seat back.
      if (!disabled && account.status !== 'active') await ensureSeat();
      if (!(await users.setStatus(userId, disabled ? 'disabled' : 'active'))) throw AppError.notFound('user');
      if (disabled) await sessions.revokeAllForUser(userId, undefined, 'account_disabled');
    },

    revokeUserSessions: (userId, reason = 'revoked_by_staff') =>
      sessions.revokeAllForUser(userId, undefined, reason),

    async revokeUserSession(userId, sessionId) {
      const live = await sessions.devicesOf(userId);
      if (!live.some((s) => s.sessionId === sessionId)) throw AppError.notFound('session');
      return sessions.revokeIds([sessionId], 'revoked_by_staff');
    },

    devicesOf: (userId) => sessions.devicesOf(userId),

    async adminResetPassword(userId, given) {
      const account = await users.account(userId);
      if (!account) throw AppError.notFound('user');
      if (given !== undefined) checkPasswordPolicy(given, account.phone);
      const password = given ?? generatePassword();
      await users.setPasswordHash(userId, await hashPassword(password));
      await sessions.revokeAllForUser(userId, undefined, 'password_reset_by_staff');
      return given === undefined ? { password, generated: true } : { password: null, generated: false };
    },

    close: d.onClose,
  };
}
