import type { AcceptDisclaimerBody } from '@zhixin/protocol';
import { AppError } from '../../errors.ts';
import type { AuditLog } from '../audit/index.ts';
import type { Caller, ConversationsService } from '../conversations/index.ts';
import type { FilesService } from '../files/index.ts';

export interface DisclaimerDeps {
  files: FilesService;
  conversations: ConversationsService;
  audit: AuditLog;
}

/**
 * The cross-terminal disclaimer (R-T1): the user accepted the version the operator has now, before
 * sending in a conversation they are in; the acceptance is evidence (`file.disclaimer.accept`).
 */
export async function acceptDisclaimer(
  d: DisclaimerDeps,
  caller: Caller,
  body: AcceptDisclaimerBody,
  ip: string,
): Promise<void> {
  await d.conversations.requireMember(body.conversationId, caller.userId);
  const disclaimer = (await d.files.settings()).disclaimer;
  if (body.version !== disclaimer.version)
    throw new AppError(
      'CONFLICT',
      { reason: 'stale disclaimer version', version: body.version, current: disclaimer.version },
      'The disclaimer changed since it was shown: show the current text',
    );
  let sha256: string | null = null;
  if (body.fileId !== undefined) {
    const file = await d.files.facts(body.fileId);
    if (!file || file.ownerId !== caller.userId) throw new AppError('FILE_NOT_FOUND', { id: body.fileId });
    sha256 = file.sha256;
  }
  await d.audit.append({
    category: 'file',
    action: 'file.disclaimer.accept',
    actorId: caller.userId,
    subject: sha256,
    conversationId: body.conversationId,
    deviceId: caller.sessionId,
    ip,
    details: {
      version: disclaimer.version,
      scope: disclaimer.scope,
      ...(body.fileId !== undefined ? { fileId: body.fileId } : {}),
    },
  });
}
