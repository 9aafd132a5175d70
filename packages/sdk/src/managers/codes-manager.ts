import type { OpRequest, OpResponse } from '@zhixin/protocol';
import type { RestClient } from '../rest/rest-client.ts';
import type { Session } from '../storage/token-store.ts';
import type { Call } from '../transport.ts';
import type { DeviceInfo } from './device.ts';

export type MyCode = OpResponse<'codes.mine'>;
export type ResolvedCode = OpResponse<'codes.resolve'>;
export type TransferCode = OpResponse<'codes.createTransfer'>;
export type TransferInput = OpRequest<'codes.createTransfer'>;
export type QuickLoginAttempt = OpResponse<'auth.quickLogin.start'>;
export type QuickLoginStatus = OpResponse<'auth.quickLogin.status'>;
export type QuickLoginScanned = OpResponse<'auth.quickLogin.scan'>;

/**
 * Security codes (QR codes): my own user code, what a scanned code means, directed-transfer codes,
 * and the phone's side of quick login (scan, then allow or decline). The desktop's side is
 * `client.auth.quickLoginStart()` / `quickLoginWait()`.
 */
export class CodesManager {
  constructor(private readonly call: Call) {}

  /**
   * My user code (the text to draw as a QR code) and when it expires.
   * @example
   * const { code, expiresAt } = await client.codes.mine();
   */
  mine(): Promise<MyCode> {
    return this.call('codes.mine', {});
  }

  /**
   * Replace my code: every older one stops working. `validityDays` 0 makes codes never expire.
   * @example
   * const fresh = await client.codes.refreshMine({ validityDays: 7 });
   */
  refreshMine(opts: { validityDays?: number } = {}): Promise<MyCode> {
    return this.call(
      'codes.refreshMine',
      opts.validityDays === undefined ? {} : { validityDays: opts.validityDays },
    );
  }

  /**
   * What a scanned code means, without acting on it. Throws `CODE_INVALID` / `CODE_EXPIRED`.
   * @example
   * const r = await client.codes.resolve(text);
   * if (r.kind === 'user') openProfile(r.profile.id);
   */
  resolve(code: string): Promise<ResolvedCode> {
    return this.call('codes.resolve', { code });
  }

  /**
   * A directed-transfer code: whoever scans it gets a chat to the target with `message` prepared.
   * @example
   * const { code } = await client.codes.createTransfer({ conversationId, message: '报名：' });
   */
  createTransfer(input: TransferInput): Promise<TransferCode> {
    return this.call('codes.createTransfer', input);
  }

  /**
   * The phone scanned a desktop's quick-login code; ask the user, then call {@link confirmLogin}.
   * @example
   * const { attemptId, device } = await client.codes.scanLogin(text);
   */
  scanLogin(code: string): Promise<QuickLoginScanned> {
    return this.call('auth.quickLogin.scan', { code });
  }

  /**
   * Allow (or decline) the desktop login this phone scanned.
   * @example
   * await client.codes.confirmLogin(attemptId, true);
   */
  async confirmLogin(attemptId: string, allow: boolean): Promise<void> {
    await this.call('auth.quickLogin.confirm', { attemptId, allow });
  }
}

/** How long each status call waits on the server (below its 25 s limit and the REST timeout). */
const LONG_POLL_MS = 20_000;

export interface QuickLoginWaitOptions {
  /** Called with every state the server reports (e.g. `scanned`, to say "confirm on your phone"). */
  onStatus?: (status: QuickLoginStatus) => void;
  /** Stop waiting; the promise then resolves with the last status seen. */
  signal?: AbortSignal;
}

/** The desktop's side of quick login, used by the AuthManager (which stores the session). */
export class QuickLoginFlow {
  constructor(
    private readonly rest: RestClient,
    private readonly device: () => Promise<DeviceInfo>,
  ) {}

  /**
   * A desktop asks for a quick-login code to show as a QR code (it expires in 2 minutes).
   * Applications reach it through `client.auth.quickLoginStart()`.
   * @example
   * const attempt = await flow.start();
   */
  async start(): Promise<QuickLoginAttempt> {
    return this.rest.call('auth.quickLogin.start', { device: await this.device() });
  }

  /** Long-poll until the attempt is confirmed, declined or expired (or `signal` aborts). */
  async wait(
    attempt: QuickLoginAttempt,
    store: (session: Session) => Promise<Session>,
    opts: QuickLoginWaitOptions = {},
  ): Promise<QuickLoginStatus> {
    let last: QuickLoginStatus = { state: 'pending', expiresAt: attempt.expiresAt };
    while (!opts.signal?.aborted) {
      const status = await this.rest.call(
        'auth.quickLogin.status',
        { attemptId: attempt.attemptId, pollToken: attempt.pollToken, waitMs: LONG_POLL_MS },
        { timeoutMs: LONG_POLL_MS + 10_000 },
      );
      if (opts.signal?.aborted) return last;
      if (status.session) await store(status.session);
      if (status.state !== last.state) opts.onStatus?.(status);
      last = status;
      if (status.state !== 'pending' && status.state !== 'scanned') return status;
    }
    return last;
  }
}
