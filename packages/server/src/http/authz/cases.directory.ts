import { randomToken } from '../../platform/ids.ts';
import { slapdInstalled, startSlapd, type Slapd } from '../../modules/directory/slapd.testing.ts';
import { mustCall, randomPhone } from '../../testing/factories.ts';
import { ADMINS, SIGNED_IN, type CallerKind, type OpCase, type World } from './authz.types.ts';
import { bystander } from './cases.friends.ts';
import { atWorldEnd } from './world.ts';

const BASE_DN = 'dc=zhixin,dc=test';

/** A new top-level department (names are unique among siblings, so each is random). */
async function freshDepartment(w: World): Promise<string> {
  const dept = await mustCall(
    w.app,
    'directory.createDepartment',
    { parentId: null, name: `部门-${randomToken(6)}` },
    w.users.admin.accessToken,
  );
  return dept.id;
}

const slapds = new WeakMap<World, Promise<Slapd>>();

/** An OpenLDAP server with only the base entry, one per world, stopped when the world ends. */
function slapdOf(w: World): Promise<Slapd> {
  let slapd = slapds.get(w);
  if (!slapd) {
    if (!slapdInstalled()) throw new Error('slapd is not installed (apt-get install -y slapd ldap-utils)');
    slapd = startSlapd(
      [
        'dn: ' + BASE_DN,
        'objectClass: dcObject',
        'objectClass: organization',
        'dc: zhixin',
        'o: zhixin',
        '',
      ].join('\n'),
      BASE_DN,
    );
    const started = slapd;
    atWorldEnd(w, async () => (await started).stop());
    slapds.set(w, slapd);
  }
  return slapd;
}

/**
 * A dry-run LDAP import. Only the administrator's attempt reaches the server (everyone else is
 * refused before it), so only then is a real one started.
 */
async function ldapImport(w: World, caller: CallerKind): Promise<Record<string, unknown>> {
  const source = {
    baseDN: BASE_DN,
    filter: '(objectClass=inetOrgPerson)',
    attributes: { phone: 'mobile', nickname: 'displayName', title: 'title', department: '' },
    dryRun: true,
  };
  if (caller !== 'admin') return { ...source, url: 'ldap://127.0.0.1:9/', bindDN: '', password: '' };
  const slapd = await slapdOf(w);
  return { ...source, url: slapd.url, bindDN: slapd.rootDN, password: slapd.rootPassword };
}

/** The organisation directory: everyone reads it; administrators shape and import it. */
export const opCases: OpCase[] = [
  { op: 'directory.tree', allow: SIGNED_IN, rule: 'signed in: the whole organisation' },
  {
    op: 'directory.members',
    allow: SIGNED_IN,
    rule: 'signed in: the whole organisation',
    prepare: async (w) => ({ departmentId: await freshDepartment(w) }),
  },
  {
    op: 'directory.userDepartments',
    allow: SIGNED_IN,
    rule: 'signed in: anyone’s departments and titles',
    prepare: (w) => ({ userId: w.users.owner.userId }),
  },
  {
    op: 'directory.createDepartment',
    allow: ADMINS,
    rule: 'administrators',
    prepare: () => ({ parentId: null, name: `部门-${randomToken(6)}` }),
  },
  {
    op: 'directory.updateDepartment',
    allow: ADMINS,
    rule: 'administrators',
    prepare: async (w) => ({ id: await freshDepartment(w), name: `改名-${randomToken(6)}` }),
  },
  {
    op: 'directory.moveDepartment',
    allow: ADMINS,
    rule: 'administrators',
    prepare: async (w) => ({ id: await freshDepartment(w), parentId: await freshDepartment(w) }),
  },
  {
    op: 'directory.deleteDepartment',
    allow: ADMINS,
    rule: 'administrators',
    prepare: async (w) => ({ id: await freshDepartment(w) }),
  },
  {
    op: 'directory.setUserDepartments',
    allow: ADMINS,
    rule: 'administrators',
    prepare: async (w) => ({
      userId: (await bystander(w, 'employee')).userId,
      departments: [{ departmentId: await freshDepartment(w), title: '工程师', primary: true }],
    }),
  },
  {
    op: 'directory.importCsv',
    allow: ADMINS,
    rule: 'administrators',
    prepare: () => ({
      csv: ['phone,nickname,department,title', `${randomPhone()},张三,导入总部/研发中心,工程师`].join('\r\n'),
      dryRun: true,
    }),
  },
  {
    op: 'directory.importLdap',
    allow: ADMINS,
    rule: 'administrators',
    prepare: ldapImport,
  },
  { op: 'directory.ldapConfig', allow: ADMINS, rule: 'administrators (never the saved password)' },
];
