import type { OpCase, RouteCase } from './authz.types.ts';
import * as accounts from './cases.accounts.ts';
import * as admin from './cases.admin.ts';
import * as audit from './cases.audit.ts';
import * as calls from './cases.calls.ts';
import * as codes from './cases.codes.ts';
import * as contacts from './cases.contacts.ts';
import * as directory from './cases.directory.ts';
import * as exportsArea from './cases.exports.ts';
import * as files from './cases.files.ts';
import * as friends from './cases.friends.ts';
import * as groups from './cases.groups.ts';
import * as meetings from './cases.meetings.ts';
import * as messaging from './cases.messaging.ts';
import * as moments from './cases.moments.ts';
import * as opsaccount from './cases.opsaccount.ts';
import * as platform from './cases.platform.ts';
import * as settings from './cases.settings.ts';
import * as stats from './cases.stats.ts';

/** The cases of one area (one `cases.<area>.ts` file); `routeCases` only where the area has any. */
interface AreaCases {
  opCases: OpCase[];
  routeCases?: RouteCase[];
}

/** Every area in the order the generated table (docs/AUTHORIZATION.md) lists them. */
export const AREAS: ReadonlyArray<[name: string, cases: AreaCases]> = [
  ['accounts', accounts],
  ['contacts', contacts],
  ['friends', friends],
  ['settings', settings],
  ['codes', codes],
  ['directory', directory],
  ['messaging', messaging],
  ['groups', groups],
  ['files', files],
  ['moments', moments],
  ['admin', admin],
  ['stats', stats],
  ['audit', audit],
  ['exports', exportsArea],
  ['opsaccount', opsaccount],
  ['calls', calls],
  ['meetings', meetings],
  ['platform', platform],
];

export const allOpCases: OpCase[] = AREAS.flatMap(([, area]) => area.opCases);
export const allRouteCases: RouteCase[] = AREAS.flatMap(([, area]) => area.routeCases ?? []);
