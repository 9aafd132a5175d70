import type { Message, MessageContent } from '@zhixin/protocol';
import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/index.ts';
import type { Caller, Membership } from '../conversations/index.ts';

/** Content that carries a file. */
export type FileMessageContent = Exclude<MessageContent, { kind: 'text' }>;

export function carriesFile(content: Message['content']): content is FileMessageContent {
  return (
    content !== null &&
    (content.kind === 'image' ||
      content.kind === 'file' ||
      content.kind === 'voice' ||
      content.kind === 'video')
  );
}

/** The request facts evidence needs that the caller does not carry. */
export interface SendOrigin {
  ip?: string;
}

/**
 * What a check found of the file a message carries, kept for the evidence record after the commit
 * (so the send path reads the file once). A ready file's hash never changes.
 */
export interface CheckedFile {
  /** The sha256 of the file's content: the evidence record's subject. */
  sha256: string | null;
}

/** One send or forward of a file, for its evidence record. */
export interface FileSend {
  caller: Caller;
  message: Message;
  membership: Membership;
  origin: SendOrigin;
  file: CheckedFile;
}

/**
 * PostgreSQL: CTEs of the one statement a send batch is committed in (see claimed-send.repo.ts),
 * written by the module that owns their table. They store rows only for the conversations in the
 * CTE named `claimed` (id).
 */
export interface ClaimedSendPart {
  /** The CTE definitions, numbering their parameters from $first. */
  sql(claimed: string, first: number): string;
  /** The parameter values for these messages (at their claimed seqs). */
  params(messages: readonly Message[]): unknown[];
}

/**
 * What the messages module asks about files in messages (the filerefs module answers): whether a
 * file may be sent or forwarded, recording which message carries it, evidence, recalls.
 */
export interface MessageAttachments {
  /**
   * Before a send: the file must be ready and the sender's. Returns the content to store, with the
   * file's measured facts (type, size, pixels, duration) in place of the client's, and what the
   * evidence record needs of the file.
   */
  checkSend(
    caller: Caller,
    conversationId: string,
    content: FileMessageContent,
  ): Promise<{ content: FileMessageContent; file: CheckedFile }>;
  /** Before a forward: the file must still be there (the sender reads it in the source conversation). */
  checkForward(caller: Caller, source: Message, content: FileMessageContent): Promise<CheckedFile>;
  /** In the commit transaction: these new messages carry files. */
  recordIn(trx: Kysely<DB>, messages: readonly Message[]): Promise<void>;
  /** recordIn, as a part of the one statement of a claimed send (PostgreSQL). */
  readonly claimedRefs: ClaimedSendPart;
  /**
   * Whether evidence is written in the commit transaction (sentIn: SQLite, where the audit chain can
   * be extended inside any write transaction) or after it (sent).
   */
  readonly evidenceInTransaction: boolean;
  /** In the commit transaction, when evidenceInTransaction: the evidence records of these sends. */
  sentIn(trx: Kysely<DB>, sends: readonly FileSend[]): Promise<void>;
  /** After the commit: the evidence record of a send or forward of the checked file. */
  sent(
    caller: Caller,
    message: Message,
    membership: Membership,
    origin: SendOrigin,
    file: CheckedFile,
  ): Promise<void>;
  /** A recalled message no longer shares its file. */
  recalled(conversationId: string, seq: number): Promise<void>;
}
