import type {
  EditMessageBody,
  ForwardMessageBody,
  HistoryQuery,
  Message,
  MessageChangesQuery,
  MessageList,
  MessageRef,
  ReactBody,
  Readers,
  SendMessageBody,
  SystemContent,
} from '@zhixin/protocol';
import type { SeqHints } from '../../platform/events.ts';
import type { AuditLog } from '../audit/index.ts';
import type { Caller, ConversationsService } from '../conversations/index.ts';
import type { ModuleDeps } from '../deps.ts';
import type { MessageAttachments } from './attachments.ts';
import type { CommitStats } from './commit-batcher.ts';
import { DigestsRepo } from './digests.repo.ts';
import { markFilesExpired, type FileMessageRef } from './file-expiry.ts';
import { MessageIntegrity, TamperReporter } from './integrity.ts';
import { backfillMessageMacs } from './mac-backfill.ts';
import { MessageCodec } from './messages.codec.ts';
import { MessagesRepo } from './messages.repo.ts';
import { registerMessageRoutes } from './messages.routes.ts';
import { MessageOps } from './messages.service.ts';
import { MessageSender, type BlockCheck } from './send.service.ts';

export type { CommitStats } from './commit-batcher.ts';
export type { BlockCheck } from './send.service.ts';
export { carriesFile } from './attachments.ts';
export type {
  CheckedFile,
  FileMessageContent,
  FileSend,
  MessageAttachments,
  SendOrigin,
} from './attachments.ts';
export type { FileMessageRef } from './file-expiry.ts';

export interface MessagesService {
  /** Acknowledged means committed: resolves after the message's group-commit transaction. */
  send(caller: Caller, body: SendMessageBody): Promise<Message>;
  forward(caller: Caller, body: ForwardMessageBody): Promise<Message>;
  history(caller: Caller, query: HistoryQuery): Promise<MessageList>;
  changes(caller: Caller, query: MessageChangesQuery): Promise<MessageList>;
  edit(caller: Caller, body: EditMessageBody): Promise<Message>;
  recall(caller: Caller, ref: MessageRef): Promise<Message>;
  react(caller: Caller, body: ReactBody): Promise<Message>;
  readers(caller: Caller, ref: MessageRef): Promise<Readers>;
  /** Post a server-written system message (e.g. a call record) as `actorId`; no member checks. */
  postSystem(conversationId: string, actorId: string, content: SystemContent): Promise<void>;
  /** Show these file messages as "file expired" on every device; returns how many changed. */
  markFilesExpired(refs: readonly FileMessageRef[]): Promise<number>;
  /** Group-commit counters of this process (transactions vs messages). */
  commitStats(): Readonly<CommitStats>;
  /** Finish pending group commits; called on shutdown. */
  close(): Promise<void>;
}

/** Messages: the group-committed send path and message operations; registers messages.*. */
export function createMessagesModule(
  deps: ModuleDeps & {
    conversations: ConversationsService;
    blocks?: BlockCheck;
    /** The recall window in force (runtime system settings); default: the config. */
    recallWindowSeconds?: () => Promise<number>;
    /** Files in messages: checks, references, evidence (the filerefs module). */
    attachments?: MessageAttachments;
    /** Where messages that fail their integrity check are recorded (`security.message_tampered`). */
    audit?: AuditLog;
    /** Seqs of messages other processes delivered here (the gateway's): they keep sends on one statement. */
    seqHints?: SeqHints;
  },
): MessagesService {
  const { platform, conversations, events } = deps;
  const integrity = new MessageIntegrity(platform.keyring);
  const codec = new MessageCodec(platform.keyring, integrity);
  const tamper = new TamperReporter(deps.audit, platform.log);
  const repo = new MessagesRepo(platform.db, codec, platform.dialect, tamper);
  let closing = false;
  // Rows stored before migration 0019 get their MACs in the background; reads meanwhile show them.
  const backfill = backfillMessageMacs({
    db: platform.db,
    dialect: platform.dialect,
    integrity,
    log: platform.log,
    stopped: () => closing,
  }).catch((err: unknown) => platform.log.error({ err }, 'message MAC backfill failed'));
  conversations.setDigestSource(new DigestsRepo(platform.db, repo));
  const sender = new MessageSender(
    platform,
    conversations,
    repo,
    codec,
    events,
    deps.blocks,
    deps.attachments,
  );
  deps.seqHints?.onSeqHint((conversationId, seq) => sender.noteSeq(conversationId, seq));
  conversations.setSystemPoster((id, actorId, content, mentions) =>
    sender.postSystem(id, actorId, content, mentions),
  );
  const ops = new MessageOps(
    platform,
    conversations,
    repo,
    codec,
    events,
    deps.recallWindowSeconds,
    deps.attachments,
  );
  registerMessageRoutes(deps.ops, sender, ops);
  return {
    send: (c, body) => sender.send(c, body),
    forward: (c, body) => sender.forward(c, body),
    history: (c, q) => ops.history(c, q),
    changes: (c, q) => ops.changes(c, q),
    edit: (c, body) => ops.edit(c, body),
    recall: (c, ref) => ops.recall(c, ref),
    react: (c, body) => ops.react(c, body),
    readers: (c, ref) => ops.readers(c, ref),
    postSystem: (id, actorId, content) => sender.postSystem(id, actorId, content, []),
    markFilesExpired: (refs) => markFilesExpired({ repo, conversations, events }, refs),
    commitStats: () => sender.stats,
    close: async () => {
      closing = true;
      await backfill;
      await sender.close();
    },
  };
}
