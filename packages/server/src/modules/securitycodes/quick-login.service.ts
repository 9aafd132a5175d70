import { createHash, timingSafeEqual } from 'node:crypto';
import type {
  DeviceInfo,
  QuickLoginAttempt,
  QuickLoginScanned,
  QuickLoginState,
  QuickLoginStatus,
  QuickLoginStatusBody,
} from '@zhixin/protocol';
import { AppError } from '../../errors.ts';
import type { CodeSigner } from '../../platform/crypto/signed-codes.ts';
import { newId, randomToken } from '../../platform/ids.ts';
import type { AuthService } from '../auth/index.ts';
import type { Caller } from '../deps.ts';
import type { UsersService } from '../users/index.ts';
import type { AttemptRecord, CodesRepo } from './codes.repo.ts';

/** How often a long poll looks at the attempt again (any node may have changed it). */
const POLL_STEP_MS = 400;

export interface QuickLogin {
  start(device: DeviceInfo): Promise<QuickLoginAttempt>;
  status(body: QuickLoginStatusBody): Promise<QuickLoginStatus>;
  scan(caller: Caller, code: string): Promise<QuickLoginScanned>;
  /** What a scan would find (for codes.resolve), changing nothing. */
  scanPreview(caller: Caller, attemptId: string): Promise<QuickLoginScanned>;
  confirm(caller: Caller, attemptId: string, allow: boolean): Promise<void>;
  /** Let waiting long polls answer now (shutdown). */
  close(): void;
}

export interface QuickLoginDeps {
  repo: CodesRepo;
  codes: CodeSigner;
  auth: Pick<AuthService, 'loginVouched'>;
  users: Pick<UsersService, 'profiles'>;
  ttlMs: number;
  now?: () => number;
}

const hashOf = (token: string) => createHash('sha256').update(token).digest();

function used(): AppError {
  return new AppError('CODE_INVALID', { reason: 'used' }, 'This code was already used');
}

function scannedOf(a: AttemptRecord): QuickLoginScanned {
  return {
    attemptId: a.id,
    device: { name: a.device.name, platform: a.device.platform },
    expiresAt: a.expiresAt,
  };
}

/**
 * Quick login (R-C7): a desktop shows an `l` code, a signed-in phone scans and confirms it, and
 * the desktop's next status call receives a new session of the phone's user. Every step is one
 * conditional UPDATE, so a code is confirmed and delivered at most once.
 */
export function createQuickLogin(d: QuickLoginDeps): QuickLogin {
  const now = d.now ?? Date.now;
  let closed = false;

  /** What the desktop sees: pending/scanned turn into expired once the code runs out. */
  function visibleState(a: AttemptRecord, at: number): QuickLoginState | 'done' {
    if ((a.state === 'pending' || a.state === 'scanned') && a.expiresAt <= at) return 'expired';
    // A confirmation is collected right away; past twice the lifetime nobody is waiting for it.
    if (a.state === 'confirmed' && a.expiresAt + d.ttlMs <= at) return 'expired';
    return a.state;
  }

  async function present(a: AttemptRecord, state: QuickLoginState): Promise<QuickLoginStatus> {
    const out: QuickLoginStatus = { state, expiresAt: a.expiresAt };
    if (a.scannerId && state !== 'expired') {
      const [p] = await d.users.profiles([a.scannerId]);
      if (p) out.scanner = { nickname: p.nickname, avatarFileId: p.avatarFileId };
    }
    return out;
  }

  async function checked(body: QuickLoginStatusBody): Promise<AttemptRecord> {
    const a = await d.repo.attempt(body.attemptId);
    const given = hashOf(body.pollToken);
    // Unknown attempt and wrong token answer alike, so ids cannot be probed.
    if (!a || !timingSafeEqual(Buffer.from(a.pollHash, 'base64url'), given)) {
      throw new AppError('CODE_INVALID', { reason: 'unknown attempt' });
    }
    return a;
  }

  return {
    async start(device) {
      const at = now();
      // Old attempts are useless once expired; clearing them here keeps the table small.
      await d.repo.deleteAttemptsExpiredBefore(at - 2 * d.ttlMs);
      const id = newId(at);
      const pollToken = randomToken(24);
      const expiresAt = at + d.ttlMs;
      await d.repo.insertAttempt({
        id,
        pollHash: hashOf(pollToken).toString('base64url'),
        device: { deviceId: device.deviceId, name: device.name, platform: device.platform },
        state: 'pending',
        scannerId: null,
        expiresAt,
        createdAt: at,
      });
      const code = d.codes.sign({ kind: 'l', subject: id, version: 1, expiresAt });
      return { attemptId: id, code, pollToken, expiresAt };
    },

    async status(body) {
      let a = await checked(body);
      const first = visibleState(a, now());
      const deadline = now() + (body.waitMs ?? 0);
      let state = first;
      while (!closed && state === first && (state === 'pending' || state === 'scanned') && now() < deadline) {
        await new Promise((r) => setTimeout(r, Math.min(POLL_STEP_MS, deadline - now())));
        a = await checked(body);
        state = visibleState(a, now());
      }
      if (state === 'done') throw used();
      if (state !== 'confirmed') return present(a, state);
      // Hand out the session once: whoever moves confirmed → done delivers it.
      if (!(await d.repo.transition(a.id, ['confirmed'], 'done', { now: now() })) || !a.scannerId) {
        throw used();
      }
      const session = await d.auth.loginVouched(a.scannerId, {
        deviceId: a.device.deviceId,
        name: a.device.name,
        platform: a.device.platform as DeviceInfo['platform'],
      });
      return { ...(await present(a, 'confirmed')), session };
    },

    async scan(caller, code) {
      const claims = d.codes.verify(code, 'l');
      const a = await d.repo.attempt(claims.subject);
      if (!a) throw new AppError('CODE_INVALID', { reason: 'unknown attempt' });
      const at = now();
      if (a.expiresAt <= at) throw new AppError('CODE_EXPIRED');
      const mine = a.state === 'scanned' && a.scannerId === caller.userId;
      if (!mine) {
        const moved = await d.repo.transition(a.id, ['pending'], 'scanned', {
          now: at,
          scannerId: caller.userId,
          setScanner: true,
          notExpiredAt: at,
        });
        if (!moved) throw used();
      }
      return scannedOf(a);
    },

    async scanPreview(caller, attemptId) {
      const a = await d.repo.attempt(attemptId);
      if (!a) throw new AppError('CODE_INVALID', { reason: 'unknown attempt' });
      if (a.expiresAt <= now()) throw new AppError('CODE_EXPIRED');
      const open = a.state === 'pending' || (a.state === 'scanned' && a.scannerId === caller.userId);
      if (!open) throw used();
      return scannedOf(a);
    },

    async confirm(caller, attemptId, allow) {
      const a = await d.repo.attempt(attemptId);
      if (!a) throw AppError.notFound('quick login');
      if (a.scannerId !== caller.userId) throw AppError.forbidden('scan the code first');
      const at = now();
      if (a.state === 'scanned' && a.expiresAt <= at) throw new AppError('CODE_EXPIRED');
      const moved = await d.repo.transition(a.id, ['scanned'], allow ? 'confirmed' : 'declined', {
        now: at,
        scannerId: caller.userId,
        notExpiredAt: at,
      });
      if (!moved) throw used();
    },

    close() {
      closed = true;
    },
  };
}
