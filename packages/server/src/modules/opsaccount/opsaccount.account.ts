import type { Conversation } from '@zhixin/protocol';
import { AppError, isAppError } from '../../errors.ts';
import type { Caller, ConversationsService } from '../conversations/index.ts';
import type { UsersService } from '../users/index.ts';
import type { OpsAccountRepo } from './opsaccount.repo.ts';

/**
 * A number no carrier routes (+999 is an unassigned ITU country code), so no SMS code can reach
 * the operations account; the account is also disabled and has no usable password.
 */
export const OPS_PHONE = '+9990000000001';
/** Not an argon2 hash: no password ever verifies against it. */
const NO_PASSWORD = '!ops-account-has-no-password';
/** The session id events from the operations account carry (it has no devices). */
export const OPS_SESSION = 'ops-account';

export interface OpsAccountDeps {
  repo: OpsAccountRepo;
  users: Pick<
    UsersService,
    'accountByPhone' | 'createAccount' | 'setStatus' | 'updateMe' | 'markOfficial' | 'me'
  >;
  conversations: Pick<ConversationsService, 'openDirect' | 'channels'>;
  name: string;
  now: () => number;
}

/** The fixed system user operators speak as. Created once (idempotently, any node may race). */
export class OpsAccount {
  private id: string | null = null;
  private channel: string | null = null;

  constructor(private readonly d: OpsAccountDeps) {}

  /** The account's user id; throws before `ensure()` ran. */
  get userId(): string {
    if (this.id === null) throw new AppError('UNAVAILABLE', { reason: 'the operations account is disabled' });
    return this.id;
  }

  /** The account's channel (posts to everyone); throws before `ensure()` ran. */
  get channelId(): string {
    if (this.channel === null)
      throw new AppError('UNAVAILABLE', { reason: 'the operations account is disabled' });
    return this.channel;
  }

  get ready(): boolean {
    return this.id !== null;
  }

  get caller(): Caller {
    return { userId: this.userId, sessionId: OPS_SESSION };
  }

  /** Create the account when missing, keep its name as configured, and mark it official. */
  async ensure(): Promise<string> {
    let id = await this.d.repo.accountId();
    if (id === null) {
      // A previous start may have created the user and stopped before recording it.
      let account = await this.d.users.accountByPhone(OPS_PHONE);
      if (!account) {
        try {
          account = await this.d.users.createAccount({
            phone: OPS_PHONE,
            passwordHash: NO_PASSWORD,
            nickname: this.d.name,
            role: 'user',
          });
        } catch (err) {
          // Another node created it at the same moment.
          if (!isAppError(err)) throw err;
          account = await this.d.users.accountByPhone(OPS_PHONE);
          if (!account) throw err;
        }
      }
      id = await this.d.repo.saveAccountId(account.id, this.d.now());
    }
    // Disabled: no login, no license seat; its chats and messages work as usual.
    await this.d.users.setStatus(id, 'disabled');
    const me = await this.d.users.me(id);
    if (me.nickname !== this.d.name) await this.d.users.updateMe(id, { nickname: this.d.name });
    this.d.users.markOfficial(id);
    this.channel = await this.ensureChannel(id);
    this.id = id;
    return id;
  }

  /** The account's channel, created on first start, titled with the account's name. */
  private async ensureChannel(ownerId: string): Promise<string> {
    const now = this.d.now();
    const stored = await this.d.repo.channel();
    if (!stored) {
      const created = await this.d.conversations.channels.create(ownerId, this.d.name, now);
      // Another node may have recorded its own first: theirs is the channel (ours stays empty).
      return this.d.repo.saveChannel(created, now);
    }
    await this.d.conversations.channels.retitle(stored.conversationId, this.d.name, now);
    return stored.conversationId;
  }

  /** The user's chat with the operations account (created, hidden for the user, on first use). */
  chatWith(userId: string): Promise<Conversation> {
    return this.d.conversations.openDirect(this.caller, userId);
  }
}
