import { Type } from 'typebox';
import * as S from '../audit.ts';
import { op } from './op.ts';

/** The hash-chained audit log: read and verify (auditors and administrators). */
export const AuditOperations = {
  'audit.list': op({
    method: 'GET',
    path: '/audit',
    request: S.AuditQuery,
    response: S.AuditPage,
    access: 'auditor',
    ws: false,
    summary: 'Audit and evidence records, newest first, filtered by category, action, actor, subject, time',
    tag: 'audit',
  }),
  'audit.verify': op({
    method: 'POST',
    path: '/audit/verify',
    request: Type.Object({}, { additionalProperties: false }),
    response: S.AuditVerification,
    access: 'auditor',
    ws: false,
    summary: 'Walk the whole hash chain and report the first record that was altered, inserted or removed',
    tag: 'audit',
  }),
} as const;
