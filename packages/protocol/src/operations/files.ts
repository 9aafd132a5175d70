import { Type } from 'typebox';
import { Id, Ok } from '../common.ts';
import * as S from '../files.ts';
import { op } from './op.ts';

const Empty = Type.Object({}, { additionalProperties: false });

/** Files (R-L3, R-M3, R-T1, R-T2). The bytes travel over tus at /api/v1/uploads, not here. */
export const FileOperations = {
  'files.get': op({
    method: 'GET',
    path: '/files/{id}',
    request: Type.Object({ id: Id, conversationId: Type.Optional(Id) }, { additionalProperties: false }),
    response: S.FileInfo,
    access: 'user',
    ws: true,
    summary: 'A file I uploaded or that was sent in a conversation I am in: name, size, status, media facts',
    tag: 'files',
  }),
  'files.link': op({
    method: 'POST',
    path: '/files/{id}/link',
    request: S.FileLinkBody,
    response: S.FileLink,
    access: 'user',
    ws: true,
    summary: 'A short-lived signed download URL (supports HTTP Range) for a file I may read',
    tag: 'files',
  }),
  'files.delete': op({
    method: 'DELETE',
    path: '/files/{id}',
    request: Type.Object({ id: Id }, { additionalProperties: false }),
    response: Ok,
    access: 'user',
    ws: true,
    summary: 'Delete a file I uploaded (or abandon my unfinished upload); messages then show it as gone',
    tag: 'files',
  }),
  'files.quota': op({
    method: 'GET',
    path: '/me/files/quota',
    request: Empty,
    response: S.FileQuota,
    access: 'user',
    ws: true,
    summary: 'My storage use, my quota and the largest file I may upload now',
    tag: 'files',
  }),
  'files.policy': op({
    method: 'GET',
    path: '/files/policy',
    request: Empty,
    response: S.FilePolicy,
    access: 'user',
    ws: true,
    summary: 'What clients need before sending files: the disclaimer, the size limit, the retention',
    tag: 'files',
  }),
  'files.acceptDisclaimer': op({
    method: 'POST',
    path: '/files/disclaimer/accept',
    request: S.AcceptDisclaimerBody,
    response: Ok,
    access: 'user',
    ws: true,
    summary: 'Record that I accepted the cross-terminal disclaimer before sending a file (evidence)',
    tag: 'files',
  }),
  'files.settings': op({
    method: 'GET',
    path: '/admin/files/settings',
    request: Empty,
    response: S.FileSettings,
    access: 'operator',
    ws: false,
    summary: 'File settings: size limit, quota, retention per conversation kind, disclaimer',
    tag: 'files',
  }),
  'files.updateSettings': op({
    method: 'PATCH',
    path: '/admin/files/settings',
    request: S.FileSettingsPatch,
    response: S.FileSettings,
    access: 'operator',
    ws: false,
    summary: 'Change the file settings (operators and administrators; audited)',
    tag: 'files',
  }),
  'files.trace': op({
    method: 'GET',
    path: '/audit/files/{sha256}',
    request: Type.Object(
      { sha256: Type.String({ pattern: '^[0-9a-f]{64}$' }) },
      { additionalProperties: false },
    ),
    response: S.FileTrace,
    access: 'auditor',
    ws: false,
    summary: "A file's whole path by content hash: uploads, sends, forwards, downloads, deletions",
    tag: 'audit',
  }),
} as const;
