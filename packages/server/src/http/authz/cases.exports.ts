import { randomPhone, mustCall } from '../../testing/factories.ts';
import {
  ADMINS,
  OPERATORS,
  SIGNED_IN,
  type CallerKind,
  type OpCase,
  type RawOutcome,
  type RouteCase,
  type World,
} from './authz.types.ts';
import { injectAs } from './runner.ts';

const OPERATOR_RULE = 'operators and administrators';
const ADMIN_RULE = 'administrators';

/** Another user than the caller to dismiss as a recommendation (dismissing oneself is a 400). */
function otherThan(w: World, caller: CallerKind): string {
  return (caller === 'stranger' ? w.users.member : w.users.stranger).userId;
}

/** Exports, friend recommendations and the runtime system settings (operations/exports.ts). */
export const opCases: OpCase[] = [
  { op: 'exports.catalog', allow: OPERATORS, rule: OPERATOR_RULE },
  {
    op: 'exports.ticket',
    allow: OPERATORS,
    rule: OPERATOR_RULE,
    prepare: () => ({ kind: 'users', format: 'csv' }),
  },
  {
    op: 'friends.recommendations',
    allow: SIGNED_IN,
    rule: 'any signed-in user, for themself',
    prepare: () => ({ limit: 5 }),
  },
  {
    op: 'friends.dismissRecommendation',
    allow: SIGNED_IN,
    rule: 'any signed-in user, for themself',
    prepare: (w, caller) => ({ userId: otherThan(w, caller) }),
  },
  { op: 'system.settings', allow: OPERATORS, rule: OPERATOR_RULE },
  {
    op: 'system.updateSettings',
    allow: ADMINS,
    rule: ADMIN_RULE,
    // The value in force again: the change is real (audited, cached anew) but alters no other case.
    prepare: async (w) => ({ watermarkTemplate: (await w.app.services.system.settings()).watermarkTemplate }),
  },
  { op: 'system.testSms', allow: ADMINS, rule: ADMIN_RULE, prepare: () => ({ phone: randomPhone() }) },
  { op: 'system.clientPolicy', allow: SIGNED_IN, rule: 'any signed-in user' },
  { op: 'system.apiCatalogue', allow: OPERATORS, rule: OPERATOR_RULE },
];

const EXPORT_URL = '/api/v1/exports/users.csv';

/** A ticket the administrator asked for, for `kind`/`format`: its download URL. */
async function ticketUrl(w: World, kind: string, format: string): Promise<string> {
  return (await mustCall(w.app, 'exports.ticket', { kind, format }, w.users.admin.accessToken)).url;
}

/** A download with a ticket and no bearer token (what a browser link does). */
async function withTicket(w: World, url: string): Promise<RawOutcome> {
  return injectAs(w, 'anonymous', { method: 'GET', url });
}

/** The worse of two outcomes for an allowed caller: the first that did not succeed. */
function bothSucceed(a: RawOutcome, b: RawOutcome): RawOutcome {
  return a.status >= 200 && a.status < 300 ? b : a;
}

/**
 * `GET /api/v1/exports/:file`: an operator's bearer token, or a 60-second ticket that names this very
 * export and range. Staff download with their token and with a ticket of their own; everyone else
 * presents their token (403) or, anonymous, a genuine ticket for another export (401).
 */
async function attemptExport(w: World, caller: CallerKind): Promise<RawOutcome> {
  if (caller === 'anonymous') {
    const other = await ticketUrl(w, 'users', 'xlsx');
    return withTicket(w, other.replace('/users.xlsx', '/users.csv'));
  }
  const bearer = await injectAs(w, caller, { method: 'GET', url: EXPORT_URL });
  if (!OPERATORS.includes(caller)) return bearer;
  const own = await mustCall(
    w.app,
    'exports.ticket',
    { kind: 'users', format: 'csv' },
    w.users[caller].accessToken,
  );
  return bothSucceed(bearer, await withTicket(w, own.url));
}

/** The streamed export downloads (modules/exports). */
export const routeCases: RouteCase[] = [
  {
    route: 'GET /api/v1/exports/:file',
    allow: OPERATORS,
    rule: "operators and administrators: bearer token, or a 60-s ticket for exactly this export and range (the holder's role checked again)",
    attempt: attemptExport,
  },
];
