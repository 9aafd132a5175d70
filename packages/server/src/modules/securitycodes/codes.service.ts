import type { CreateTransferBody, MyCode, ResolvedCode, TransferCode } from '@zhixin/protocol';
import { AppError } from '../../errors.ts';
import type { CodeSigner } from '../../platform/crypto/signed-codes.ts';
import { newId } from '../../platform/ids.ts';
import type { ConversationsService } from '../conversations/index.ts';
import type { Caller } from '../deps.ts';
import type { UsersService } from '../users/index.ts';
import type { CodesRepo, UserCodeRecord } from './codes.repo.ts';
import type { QuickLogin } from './quick-login.service.ts';

const DAY_MS = 24 * 3_600_000;
/** A code about to run out is replaced rather than shown (nobody could scan it in time). */
const MIN_REMAINING_MS = 60_000;

export interface SecurityCodesService extends QuickLogin {
  /** My user code, issued on first use and reissued once it has expired. */
  mine(caller: Caller): Promise<MyCode>;
  /** A new version of my code (older ones stop working); `validityDays` 0 never expires. */
  refreshMine(caller: Caller, validityDays?: number): Promise<MyCode>;
  /** What a scanned code means. CODE_INVALID / CODE_EXPIRED for bad codes, NOT_MEMBER / NOT_FOUND for targets. */
  resolve(caller: Caller, code: string): Promise<ResolvedCode>;
  /** A directed-transfer code to a user or a conversation the caller is in. */
  createTransfer(caller: Caller, body: CreateTransferBody): Promise<TransferCode>;
}

export interface SecurityCodesDeps {
  repo: CodesRepo;
  codes: CodeSigner;
  users: Pick<UsersService, 'existing' | 'profiles'>;
  conversations: Pick<ConversationsService, 'requireMember' | 'get'>;
  quickLogin: QuickLogin;
  defaultValidityDays: number;
  now?: () => number;
}

function invalid(reason: string): AppError {
  return new AppError('CODE_INVALID', { reason });
}

/** User codes, scans and directed transfers (R-C7); quick login is delegated. */
export function createSecurityCodesService(d: SecurityCodesDeps): SecurityCodesService {
  const now = d.now ?? Date.now;

  function expiryOf(r: UserCodeRecord): { validityDays: number; expiresAt: number | null } {
    const validityDays = r.validityDays ?? d.defaultValidityDays;
    return { validityDays, expiresAt: validityDays === 0 ? null : r.issuedAt + validityDays * DAY_MS };
  }

  function present(r: UserCodeRecord): MyCode {
    const { validityDays, expiresAt } = expiryOf(r);
    const code = d.codes.sign({ kind: 'u', subject: r.userId, version: r.version, expiresAt });
    return { code, expiresAt, validityDays };
  }

  async function current(userId: string): Promise<UserCodeRecord> {
    const r = await d.repo.userCode(userId);
    if (!r) throw new Error(`user code of ${userId} vanished`);
    return r;
  }

  async function profileOf(userId: string) {
    if (!(await d.users.existing([userId])).has(userId)) {
      throw new AppError('NOT_FOUND', { what: 'user', userIds: [userId] }, 'user not found');
    }
    const [profile] = await d.users.profiles([userId]);
    if (!profile) throw AppError.notFound('user');
    return profile;
  }

  return {
    ...d.quickLogin,

    async mine(caller) {
      await d.repo.createUserCode(caller.userId, now());
      let r = await current(caller.userId);
      const { expiresAt } = expiryOf(r);
      if (expiresAt !== null && expiresAt - MIN_REMAINING_MS <= now()) {
        await d.repo.bumpUserCode(caller.userId, undefined, now());
        r = await current(caller.userId);
      }
      return present(r);
    },

    async refreshMine(caller, validityDays) {
      await d.repo.bumpUserCode(caller.userId, validityDays, now());
      return present(await current(caller.userId));
    },

    async resolve(caller, text) {
      const claims = d.codes.verify(text);
      switch (claims.kind) {
        case 'u': {
          const r = await d.repo.userCode(claims.subject);
          if (!r || r.version !== claims.version) throw invalid('replaced');
          return { kind: 'user', profile: await profileOf(claims.subject) };
        }
        case 'g':
          // Group codes belong to the groups module, which checks their version when joining.
          return { kind: 'group', conversationId: claims.subject };
        case 'l': {
          const scanned = await d.quickLogin.scanPreview(caller, claims.subject);
          return { kind: 'login', ...scanned };
        }
        case 't': {
          const t = await d.repo.transfer(claims.subject);
          if (!t) throw invalid('unknown transfer');
          if (t.conversationId) {
            await d.conversations.requireMember(t.conversationId, caller.userId);
            const c = await d.conversations.get(caller, t.conversationId);
            return {
              kind: 'transfer',
              target: { kind: 'conversation', conversationId: c.id, title: c.title },
              message: t.message,
            };
          }
          if (!t.targetUserId) throw invalid('no target');
          return {
            kind: 'transfer',
            target: { kind: 'user', profile: await profileOf(t.targetUserId) },
            message: t.message,
          };
        }
      }
    },

    async createTransfer(caller, body) {
      const hasUser = body.targetUserId !== undefined;
      if (hasUser === (body.conversationId !== undefined)) {
        throw AppError.validation([
          { path: '/', message: 'give exactly one of targetUserId and conversationId' },
        ]);
      }
      if (body.targetUserId !== undefined) await profileOf(body.targetUserId);
      if (body.conversationId !== undefined) {
        await d.conversations.requireMember(body.conversationId, caller.userId);
      }
      const at = now();
      const id = newId(at);
      const expiresAt = body.expiresInMs === undefined ? null : at + body.expiresInMs;
      await d.repo.insertTransfer({
        id,
        creatorId: caller.userId,
        targetUserId: body.targetUserId ?? null,
        conversationId: body.conversationId ?? null,
        message: body.message,
        expiresAt,
        createdAt: at,
      });
      return { code: d.codes.sign({ kind: 't', subject: id, version: 1, expiresAt }), expiresAt };
    },
  };
}
