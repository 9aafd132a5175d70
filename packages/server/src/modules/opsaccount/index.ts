import type { EventSink } from '../../platform/events.ts';
import type { ConversationsService } from '../conversations/index.ts';
import type { ModuleDeps } from '../deps.ts';
import type { MessagesService } from '../messages/index.ts';
import type { UsersService } from '../users/index.ts';
import { BroadcastRunner, type DepartmentMembers } from './broadcast.runner.ts';
import { OpsChannel } from './channel.ts';
import { MessageTap } from './event-tap.ts';
import { OpsAccount } from './opsaccount.account.ts';
import { OpsAccountRepo } from './opsaccount.repo.ts';
import { registerOpsAccountRoutes } from './opsaccount.routes.ts';
import { createOpsAccountService, type OpsAccountService } from './opsaccount.service.ts';

export type { OpsAccountService } from './opsaccount.service.ts';
export type { DepartmentMembers } from './broadcast.runner.ts';
export { MessageTap } from './event-tap.ts';
export { OPS_PHONE, OPS_SESSION } from './opsaccount.account.ts';
export { copyClientId } from './broadcast.runner.ts';
export { departmentsFromDirectory } from './departments.ts';

export interface OpsAccountModule {
  service: OpsAccountService;
  /** The account's user id (after `start`). */
  userId(): string;
  /** Create or find the account, then resume broadcasts left running. */
  start(): Promise<void>;
  /** Finish the current batch; running broadcasts resume on the next start. */
  stop(): Promise<void>;
}

export interface OpsAccountModuleDeps extends ModuleDeps {
  users: UsersService;
  conversations: ConversationsService;
  messages: MessagesService;
  /** Where the messages module emits; watched for users writing to the operations account. */
  tap: MessageTap;
  departments: DepartmentMembers | null;
}

/** Build a tap over the gateway's sink, before the messages module (which must emit into it). */
export function createMessageTap(inner: EventSink): MessageTap {
  return new MessageTap(inner);
}

/** The operations account (运营号): registers opsAccount.*. */
export function createOpsAccountModule(deps: OpsAccountModuleDeps): OpsAccountModule {
  const { platform } = deps;
  const cfg = platform.config.opsAccount;
  const now = () => Date.now();
  const repo = new OpsAccountRepo(platform.db, platform.keyring);
  const account = new OpsAccount({
    repo,
    users: deps.users,
    conversations: deps.conversations,
    name: cfg.name,
    now,
  });
  const runner = new BroadcastRunner({
    repo,
    account,
    users: deps.users,
    messages: deps.messages,
    departments: deps.departments,
    log: platform.log,
    batchSize: cfg.batchSize,
    batchPauseMs: cfg.batchPauseMs,
    now,
  });
  const channel = new OpsChannel({
    repo,
    account,
    users: deps.users,
    conversations: deps.conversations,
    messages: deps.messages,
    now,
  });
  const service = createOpsAccountService({
    repo,
    account,
    runner,
    channel,
    users: deps.users,
    messages: deps.messages,
    departments: deps.departments,
    events: deps.events,
    now,
  });
  registerOpsAccountRoutes(deps.ops, service);
  let catchingUp: Promise<void> = Promise.resolve();
  return {
    service,
    userId: () => account.userId,
    async start() {
      if (!cfg.enabled) return;
      await account.ensure();
      deps.tap.watch(account.userId, (message) => {
        service.noteMessage(message).catch((err: unknown) => {
          platform.log.error({ err, conversationId: message.conversationId }, 'could not file feedback');
        });
      });
      deps.users.onAccountCreated(async (created) => {
        await channel.subscribeAccount(created.id).catch((err: unknown) => {
          // The pass before the next post makes the row; the account itself stands.
          platform.log.warn({ err, userId: created.id }, 'could not subscribe a new account to the channel');
        });
      });
      catchingUp = channel.catchUp().catch((err: unknown) => {
        platform.log.warn({ err }, 'could not subscribe accounts made since the last channel post');
      });
      runner.kick();
    },
    async stop() {
      await runner.stop();
      await catchingUp;
    },
  };
}
