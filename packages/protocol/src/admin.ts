/** User and content administration, roles, license and invalid-user screening (R-C2). */
import { Type, type Static } from 'typebox';
import { Device } from './auth.ts';
import { Id, Password, Timestamp } from './common.ts';
import { DepartmentAssignment, UserDepartments } from './directory.ts';
import { Role } from './users.ts';

/** `active`; `disabled` by staff (may be enabled again); `deactivated` by screening (seat freed). */
export const UserStatus = Type.Union([
  Type.Literal('active'),
  Type.Literal('disabled'),
  Type.Literal('deactivated'),
]);
export type UserStatus = Static<typeof UserStatus>;

/** One user as the console lists it. The phone is shown masked (`138****5678`). */
export const AdminUser = Type.Object({
  id: Id,
  nickname: Type.String(),
  account: Type.Union([Type.String(), Type.Null()]),
  phoneMasked: Type.String(),
  role: Role,
  status: UserStatus,
  createdAt: Timestamp,
  lastActiveAt: Type.Union([Timestamp, Type.Null()]),
  /** When the directory marked the user as having left the organisation, or null. */
  leftAt: Type.Union([Timestamp, Type.Null()]),
  /** The primary department's name, or null. */
  department: Type.Union([Type.String(), Type.Null()]),
});
export type AdminUser = Static<typeof AdminUser>;

const PageNumber = Type.Integer({ minimum: 1, maximum: 100_000, default: 1 });
const PageSize = Type.Integer({ minimum: 1, maximum: 200, default: 20 });

export const AdminUsersQuery = Type.Object(
  {
    /** A phone number (any accepted form: exact match), a 致信号 or part of a nickname. */
    q: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    /** Members of this department and its sub-departments. */
    departmentId: Type.Optional(Id),
    role: Type.Optional(Role),
    status: Type.Optional(UserStatus),
    sort: Type.Optional(Type.Union([Type.Literal('createdAt'), Type.Literal('lastActiveAt')])),
    order: Type.Optional(Type.Union([Type.Literal('asc'), Type.Literal('desc')])),
    page: Type.Optional(PageNumber),
    pageSize: Type.Optional(PageSize),
  },
  { additionalProperties: false },
);
export type AdminUsersQuery = Static<typeof AdminUsersQuery>;

export const AdminUserPage = Type.Object({
  users: Type.Array(AdminUser),
  total: Type.Integer({ minimum: 0 }),
  page: Type.Integer({ minimum: 1 }),
  pageSize: Type.Integer({ minimum: 1 }),
});
export type AdminUserPage = Static<typeof AdminUserPage>;

export const AdminUserParams = Type.Object({ userId: Id }, { additionalProperties: false });
export type AdminUserParams = Static<typeof AdminUserParams>;

/** A user's detail: the summary, departments and live sessions (devices). */
export const AdminUserDetail = Type.Object({
  user: AdminUser,
  signature: Type.String(),
  departments: UserDepartments,
  devices: Type.Array(Device),
});
export type AdminUserDetail = Static<typeof AdminUserDetail>;

export const SetDisabledBody = Type.Object(
  { userId: Id, disabled: Type.Boolean() },
  { additionalProperties: false },
);
export type SetDisabledBody = Static<typeof SetDisabledBody>;

export const AdminResetPasswordBody = Type.Object(
  {
    userId: Id,
    /** Absent: a one-time password is generated and answered once. */
    password: Type.Optional(Password),
  },
  { additionalProperties: false },
);
export type AdminResetPasswordBody = Static<typeof AdminResetPasswordBody>;

export const AdminResetPasswordResult = Type.Object({
  /** The generated password (shown once), or null when the operator set one. */
  password: Type.Union([Type.String(), Type.Null()]),
  generated: Type.Boolean(),
});
export type AdminResetPasswordResult = Static<typeof AdminResetPasswordResult>;

export const ForceLogoutBody = Type.Object(
  {
    userId: Id,
    /** One session (device); absent: every session of the user. */
    sessionId: Type.Optional(Id),
  },
  { additionalProperties: false },
);
export type ForceLogoutBody = Static<typeof ForceLogoutBody>;

export const RevokedCount = Type.Object({ revoked: Type.Integer({ minimum: 0 }) });
export type RevokedCount = Static<typeof RevokedCount>;

export const AdminSetDepartmentsBody = Type.Object(
  { userId: Id, departments: Type.Array(DepartmentAssignment, { maxItems: 50 }) },
  { additionalProperties: false },
);
export type AdminSetDepartmentsBody = Static<typeof AdminSetDepartmentsBody>;

export const SetRoleBody = Type.Object({ userId: Id, role: Role }, { additionalProperties: false });
export type SetRoleBody = Static<typeof SetRoleBody>;

export const SetLeftBody = Type.Object({ userId: Id, left: Type.Boolean() }, { additionalProperties: false });
export type SetLeftBody = Static<typeof SetLeftBody>;

// Groups

export const AdminGroup = Type.Object({
  conversationId: Id,
  title: Type.String(),
  ownerId: Type.Union([Id, Type.Null()]),
  ownerNickname: Type.Union([Type.String(), Type.Null()]),
  memberCount: Type.Integer({ minimum: 0 }),
  createdAt: Timestamp,
  lastActiveAt: Timestamp,
  temporary: Type.Boolean(),
  dissolvedAt: Type.Union([Timestamp, Type.Null()]),
});
export type AdminGroup = Static<typeof AdminGroup>;

export const AdminGroupsQuery = Type.Object(
  {
    /** Part of the group's name. */
    q: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    status: Type.Optional(Type.Union([Type.Literal('live'), Type.Literal('dissolved'), Type.Literal('all')])),
    temporary: Type.Optional(Type.Boolean()),
    page: Type.Optional(PageNumber),
    pageSize: Type.Optional(PageSize),
  },
  { additionalProperties: false },
);
export type AdminGroupsQuery = Static<typeof AdminGroupsQuery>;

export const AdminGroupPage = Type.Object({
  groups: Type.Array(AdminGroup),
  total: Type.Integer({ minimum: 0 }),
  page: Type.Integer({ minimum: 1 }),
  pageSize: Type.Integer({ minimum: 1 }),
});
export type AdminGroupPage = Static<typeof AdminGroupPage>;

export const AdminGroupParams = Type.Object({ conversationId: Id }, { additionalProperties: false });
export type AdminGroupParams = Static<typeof AdminGroupParams>;

export const AdminGroupMember = Type.Object({
  userId: Id,
  nickname: Type.String(),
  role: Type.Union([Type.Literal('owner'), Type.Literal('admin'), Type.Literal('member')]),
  joinedAt: Timestamp,
});
export type AdminGroupMember = Static<typeof AdminGroupMember>;

export const AdminGroupMembers = Type.Object({ group: AdminGroup, members: Type.Array(AdminGroupMember) });
export type AdminGroupMembers = Static<typeof AdminGroupMembers>;

// Invalid-user screening

/** Rules of a screening; a user matching any enabled rule is a candidate. */
export const ScreeningRules = Type.Object(
  {
    /** Created at least this many days ago and never logged in. */
    neverActivatedDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 3650 })),
    /** Logged in before, but no activity for at least this many days. */
    inactiveDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })),
    disabled: Type.Optional(Type.Boolean()),
    /** Accounts whose phones name the same mobile number (see PROTOCOL.md); the most recently active is kept. */
    duplicatePhone: Type.Optional(Type.Boolean()),
    /** Marked in the directory as having left the organisation. */
    leftOrganisation: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type ScreeningRules = Static<typeof ScreeningRules>;

export const ScreeningRule = Type.Union([
  Type.Literal('neverActivated'),
  Type.Literal('inactive'),
  Type.Literal('disabled'),
  Type.Literal('duplicatePhone'),
  Type.Literal('leftOrganisation'),
]);
export type ScreeningRule = Static<typeof ScreeningRule>;

export const ScreeningPreviewBody = Type.Object({ rules: ScreeningRules }, { additionalProperties: false });
export type ScreeningPreviewBody = Static<typeof ScreeningPreviewBody>;

export const ScreeningCandidate = Type.Object({
  user: AdminUser,
  rules: Type.Array(ScreeningRule),
});
export type ScreeningCandidate = Static<typeof ScreeningCandidate>;

export const ScreeningPreview = Type.Object({
  candidates: Type.Array(ScreeningCandidate),
  /** Users looked at (everyone but deactivated users, staff and official accounts). */
  scanned: Type.Integer({ minimum: 0 }),
});
export type ScreeningPreview = Static<typeof ScreeningPreview>;

export const ScreeningApplyBody = Type.Object(
  {
    userIds: Type.Array(Id, { minItems: 1, maxItems: 5000, uniqueItems: true }),
    /** `keep`: deactivate only; `purge`: also replace the profile (nickname, phone, avatar, signature). */
    policy: Type.Union([Type.Literal('keep'), Type.Literal('purge')]),
  },
  { additionalProperties: false },
);
export type ScreeningApplyBody = Static<typeof ScreeningApplyBody>;

export const ScreeningApplyResult = Type.Object({
  deactivated: Type.Array(Id),
  /** Ids that were unknown, staff, official or already deactivated: left unchanged. */
  skipped: Type.Array(Id),
  policy: Type.Union([Type.Literal('keep'), Type.Literal('purge')]),
});
export type ScreeningApplyResult = Static<typeof ScreeningApplyResult>;

// License

export const LicenseState = Type.Union([
  Type.Literal('valid'),
  Type.Literal('expired'),
  Type.Literal('missing'),
  Type.Literal('invalid'),
  Type.Literal('notYetValid'),
]);
export type LicenseState = Static<typeof LicenseState>;

/** What a license file carries (signed). */
export const LicensePayload = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 64 }),
  licensee: Type.String({ minLength: 1, maxLength: 200 }),
  maxUsers: Type.Integer({ minimum: 1, maximum: 100_000_000 }),
  validFrom: Timestamp,
  validUntil: Timestamp,
  issuedAt: Timestamp,
});
export type LicensePayload = Static<typeof LicensePayload>;

export const LicenseStatus = Type.Object({
  state: LicenseState,
  /** The installed license, or null when missing or unreadable. */
  license: Type.Union([LicensePayload, Type.Null()]),
  /** The cap in force: the license's, or the evaluation cap of the config without a valid license. */
  maxUsers: Type.Integer({ minimum: 0 }),
  /** Active users counted against the cap (disabled and deactivated users are not). */
  used: Type.Integer({ minimum: 0 }),
  /** Whether new users may be created now (an expired license refuses them). */
  acceptsNewUsers: Type.Boolean(),
  installedAt: Type.Union([Timestamp, Type.Null()]),
});
export type LicenseStatus = Static<typeof LicenseStatus>;

export const LicenseInstallBody = Type.Object(
  { text: Type.String({ minLength: 1, maxLength: 16_384 }) },
  { additionalProperties: false },
);
export type LicenseInstallBody = Static<typeof LicenseInstallBody>;
