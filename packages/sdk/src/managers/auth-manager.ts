import type { OpRequest, OpResponse } from '@zhixin/protocol';
import type { RestClient } from '../rest/rest-client.ts';
import type { Session, TokenStore } from '../storage/token-store.ts';
import type { Call } from '../transport.ts';
import {
  QuickLoginFlow,
  type QuickLoginAttempt,
  type QuickLoginStatus,
  type QuickLoginWaitOptions,
} from './codes-manager.ts';
import type { DeviceInfo } from './device.ts';

export type SmsPurpose = OpRequest<'auth.sendSmsCode'>['purpose'];
export type Device = OpResponse<'auth.devices'>['devices'][number];
export type RegisterInput = Omit<OpRequest<'auth.register'>, 'device'>;

export interface AuthManagerDeps {
  rest: RestClient;
  call: Call;
  tokens: TokenStore;
  device: () => Promise<DeviceInfo>;
  /** A session was stored by login or registration. */
  onSessionStarted: (session: Session, previous: Session | null) => void;
  /** This device logged out (the session is already cleared). */
  onLoggedOut: () => void | Promise<void>;
}

/**
 * Accounts and sessions: SMS codes, registration, login, password changes and the device list.
 * Successful logins are stored (see `storage`), so a restarted client is still logged in.
 */
export class AuthManager {
  private readonly quickLogin: QuickLoginFlow;

  constructor(private readonly deps: AuthManagerDeps) {
    this.quickLogin = new QuickLoginFlow(deps.rest, deps.device);
  }

  /**
   * Ask for a one-time SMS code.
   * @example
   * const { retryAfterSeconds } = await client.auth.sendSmsCode('13800138000', 'login');
   */
  sendSmsCode(phone: string, purpose: SmsPurpose): Promise<OpResponse<'auth.sendSmsCode'>> {
    return this.deps.rest.call('auth.sendSmsCode', { phone, purpose });
  }

  /**
   * Create an account with a phone number and its SMS code; logs in.
   * @example
   * await client.auth.register({ phone, code: '123456', password: 'correct horse', nickname: '小王' });
   */
  async register(input: RegisterInput): Promise<Session> {
    return this.start(
      await this.deps.rest.call('auth.register', { ...input, device: await this.deps.device() }),
    );
  }

  /**
   * Log in with phone and password.
   * @example
   * const session = await client.auth.loginPassword('13800138000', 'correct horse');
   */
  async loginPassword(phone: string, password: string): Promise<Session> {
    return this.start(
      await this.deps.rest.call('auth.loginPassword', { phone, password, device: await this.deps.device() }),
    );
  }

  /**
   * Log in with phone and SMS code.
   * @example
   * await client.auth.sendSmsCode(phone, 'login');
   * await client.auth.loginSms(phone, '123456');
   */
  async loginSms(phone: string, code: string): Promise<Session> {
    return this.start(
      await this.deps.rest.call('auth.loginSms', { phone, code, device: await this.deps.device() }),
    );
  }

  /**
   * Quick login, the desktop's side: get a code to show as a QR code (it expires in 2 minutes).
   * @example
   * const attempt = await client.auth.quickLoginStart();
   * drawQr(attempt.code);
   */
  quickLoginStart(): Promise<QuickLoginAttempt> {
    return this.quickLogin.start();
  }

  /**
   * Wait until a signed-in phone confirms (the session is stored, as by `loginPassword`), declines,
   * or the code expires. `onStatus` reports `scanned` so the UI can say "confirm on your phone".
   * @example
   * const result = await client.auth.quickLoginWait(attempt, { onStatus: (s) => show(s.state) });
   * if (result.state === 'confirmed') enterApp();
   * else if (result.state === 'expired') restart();
   */
  quickLoginWait(attempt: QuickLoginAttempt, opts: QuickLoginWaitOptions = {}): Promise<QuickLoginStatus> {
    return this.quickLogin.wait(attempt, (session) => this.start(session), opts);
  }

  /**
   * Set a new password with an SMS code; every device (this one too) is logged out.
   * @example
   * await client.auth.resetPassword({ phone, code: '123456', password: 'new password' });
   */
  resetPassword(input: OpRequest<'auth.resetPassword'>): Promise<OpResponse<'auth.resetPassword'>> {
    return this.deps.rest.call('auth.resetPassword', input);
  }

  /**
   * Get a new access token now (the SDK also does this by itself when one expires).
   * @example
   * const session = await client.auth.refresh();
   */
  refresh(): Promise<Session> {
    return this.deps.rest.refreshSession();
  }

  /**
   * Log this device out: the server forgets the session, the client its tokens, the connection closes.
   * The local session is cleared even when the server cannot be reached.
   * @example
   * await client.auth.logout();
   */
  async logout(): Promise<void> {
    try {
      if (await this.deps.tokens.load()) await this.deps.rest.call('auth.logout', {});
    } finally {
      await this.deps.tokens.clear();
      await this.deps.onLoggedOut();
    }
  }

  /**
   * Change the password; other devices are logged out.
   * @example
   * await client.auth.changePassword('old password', 'new password');
   */
  changePassword(oldPassword: string, newPassword: string): Promise<OpResponse<'auth.changePassword'>> {
    return this.deps.call('auth.changePassword', { oldPassword, newPassword });
  }

  /**
   * My logged-in devices (`current` marks this one).
   * @example
   * const others = (await client.auth.devices()).filter((d) => !d.current);
   */
  async devices(): Promise<Device[]> {
    return (await this.deps.call('auth.devices', {})).devices;
  }

  /**
   * Log one of my devices out.
   * @example
   * await client.auth.revokeDevice(device.sessionId);
   */
  revokeDevice(sessionId: string): Promise<OpResponse<'auth.revokeDevice'>> {
    return this.deps.call('auth.revokeDevice', { sessionId });
  }

  /**
   * The stored session, if logged in.
   * @example
   * if (!(await client.auth.session())) showLogin();
   */
  session(): Promise<Session | null> {
    return this.deps.tokens.load();
  }

  private async start(session: Session): Promise<Session> {
    const previous = await this.deps.tokens.load();
    await this.deps.tokens.save(session);
    this.deps.onSessionStarted(session, previous);
    return session;
  }
}
