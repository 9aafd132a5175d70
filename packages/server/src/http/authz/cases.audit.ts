import { AUDITORS, type OpCase, type RouteCase } from './authz.types.ts';
import { injectAs } from './runner.ts';

const RULE = 'auditors and administrators';

/** The hash-chained audit log (operations/audit.ts). */
export const opCases: OpCase[] = [
  { op: 'audit.list', allow: AUDITORS, rule: RULE, prepare: () => ({ limit: 5 }) },
  { op: 'audit.verify', allow: AUDITORS, rule: RULE },
];

/** The evidence download (modules/filerefs, a plain route: the body is a file). */
export const routeCases: RouteCase[] = [
  {
    route: 'GET /api/v1/audit/export',
    allow: AUDITORS,
    rule: 'auditors and administrators, by bearer token (the export is itself audited)',
    attempt: (w, caller) =>
      injectAs(w, caller, {
        method: 'GET',
        url: '/api/v1/audit/export',
        // The last minute only: the proof needs the gate, not the whole log.
        query: { format: 'jsonl', from: String(Date.now() - 60_000) },
      }),
  },
];
