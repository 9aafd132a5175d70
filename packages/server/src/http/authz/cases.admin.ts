import { generateKeyPairSync } from 'node:crypto';
import { newPayload, publicKeyText, signLicense } from '../../modules/license/index.ts';
import { mustCall, registerUser, type TestUser } from '../../testing/factories.ts';
import { ADMINS, OPERATORS, type OpCase, type World } from './authz.types.ts';

/**
 * A value built once per world (a user or a resource several cases share), on first use. Keyed by
 * the world so a second world (another test file) gets its own.
 */
export function perWorld<T>(build: (w: World) => Promise<T>): (w: World) => Promise<T> {
  const built = new WeakMap<World, Promise<T>>();
  return (w) => {
    let value = built.get(w);
    if (!value) {
      value = build(w);
      built.set(w, value);
    }
    return value;
  };
}

/**
 * An ordinary user the staff operations act on: not one of the callers, so disabling it, resetting
 * its password or signing it out disturbs no other case.
 */
export const subjectUser: (w: World) => Promise<TestUser> = perWorld((w) =>
  registerUser(w.app, { nickname: '被管理用户' }),
);

/**
 * The license vendor's key pair of the authorization test: the world's app trusts its public key
 * (authzAppOptions in cases.platform.ts), so an administrator can really install a license.
 */
const vendorKeys = generateKeyPairSync('ed25519');
export const AUTHZ_LICENSE_PUBLIC_KEY = publicKeyText(vendorKeys.publicKey);

function testLicense(): string {
  const pem = vendorKeys.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  // Room for every user the cases register, for a year: installing it never locks anyone out.
  return signLicense(pem, newPayload('授权测试单位', 1_000_000, 365));
}

/** A group of the world's owner and member that a caller may dissolve (one per attempt). */
async function freshGroup(w: World): Promise<string> {
  const group = await mustCall(
    w.app,
    'groups.create',
    { title: '待解散的群', memberIds: [w.users.member.userId] },
    w.users.owner.accessToken,
  );
  return group.id;
}

const OPERATOR_RULE = 'operators and administrators';
const ADMIN_RULE = 'administrators';
const STAFF_ACCOUNT_RULE = 'operators and administrators; on a staff account, administrators only';

/** A user of its own for `setDisabled`: a disabled user has no departments to set. */
const disabledUser: (w: World) => Promise<TestUser> = perWorld((w) =>
  registerUser(w.app, { nickname: '被停用用户' }),
);

const onSubject =
  (extra: Record<string, unknown> = {}) =>
  async (w: World) => ({ userId: (await subjectUser(w)).userId, ...extra });

/** User and group administration, invalid-user screening and the license (operations/admin.ts). */
export const opCases: OpCase[] = [
  { op: 'admin.users.list', allow: OPERATORS, rule: OPERATOR_RULE, prepare: () => ({ pageSize: 5 }) },
  { op: 'admin.users.get', allow: OPERATORS, rule: OPERATOR_RULE, prepare: onSubject() },
  {
    op: 'admin.users.setDisabled',
    allow: OPERATORS,
    rule: STAFF_ACCOUNT_RULE,
    prepare: async (w) => ({ userId: (await disabledUser(w)).userId, disabled: true }),
  },
  {
    op: 'admin.users.resetPassword',
    allow: OPERATORS,
    rule: STAFF_ACCOUNT_RULE,
    prepare: onSubject(),
  },
  { op: 'admin.users.logout', allow: OPERATORS, rule: STAFF_ACCOUNT_RULE, prepare: onSubject() },
  {
    op: 'admin.users.setDepartments',
    allow: OPERATORS,
    rule: OPERATOR_RULE,
    prepare: onSubject({ departments: [] }),
  },
  {
    op: 'admin.users.setRole',
    allow: ADMINS,
    rule: 'administrators (not their own role; never the last administrator)',
    prepare: onSubject({ role: 'user' }),
  },
  { op: 'admin.users.setLeft', allow: OPERATORS, rule: OPERATOR_RULE, prepare: onSubject({ left: true }) },
  { op: 'admin.groups.list', allow: OPERATORS, rule: OPERATOR_RULE, prepare: () => ({ pageSize: 5 }) },
  {
    op: 'admin.groups.members',
    allow: OPERATORS,
    rule: OPERATOR_RULE,
    prepare: (w) => ({ conversationId: w.group.id }),
  },
  {
    op: 'admin.groups.dissolve',
    allow: OPERATORS,
    rule: OPERATOR_RULE,
    prepare: async (w) => ({ conversationId: await freshGroup(w) }),
  },
  {
    op: 'admin.screening.preview',
    allow: OPERATORS,
    rule: OPERATOR_RULE,
    prepare: () => ({ rules: { disabled: true } }),
  },
  {
    op: 'admin.screening.apply',
    allow: ADMINS,
    rule: ADMIN_RULE,
    // A user of its own per attempt: applying deactivates it.
    prepare: async (w: World) => ({
      userIds: [(await registerUser(w.app, { nickname: '待筛查用户' })).userId],
      policy: 'keep',
    }),
  },
  { op: 'license.get', allow: OPERATORS, rule: OPERATOR_RULE },
  { op: 'license.install', allow: ADMINS, rule: ADMIN_RULE, prepare: () => ({ text: testLicense() }) },
];
