import { Type, type Static } from 'typebox';
import { Id } from './common.ts';
import { PublicProfile } from './users.ts';

/** A department name; `/` is reserved as the separator of department paths ("总部/研发中心/前端组"). */
export const DepartmentName = Type.String({ minLength: 1, maxLength: 64, pattern: '^[^/]+$' });
/** A user's title (position) in one department. */
export const JobTitle = Type.String({ maxLength: 64 });

/** One department of the organisation tree. */
export const Department = Type.Object({
  id: Id,
  /** null for a top-level department. */
  parentId: Type.Union([Id, Type.Null()]),
  name: Type.String(),
  /** Siblings are shown by ascending sort order, then name. */
  sortOrder: Type.Integer(),
  /** Members directly in this department. */
  memberCount: Type.Integer({ minimum: 0 }),
  /** Members in this department and every department below it (each user counted once). */
  totalCount: Type.Integer({ minimum: 0 }),
});
export type Department = Static<typeof Department>;

export const DirectoryTree = Type.Object({ departments: Type.Array(Department) });
export type DirectoryTree = Static<typeof DirectoryTree>;

export const DirectoryTreeQuery = Type.Object({});
export type DirectoryTreeQuery = Static<typeof DirectoryTreeQuery>;

export const DirectoryMembersQuery = Type.Object({
  departmentId: Id,
  /** Include the members of every department below (each user once). */
  recursive: Type.Optional(Type.Boolean()),
  /** Only members whose nickname or title contains this text. */
  q: Type.Optional(Type.String({ maxLength: 64 })),
  /** `nextCursor` of the previous page. */
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
});
export type DirectoryMembersQuery = Static<typeof DirectoryMembersQuery>;

/** A member as listed in a department. */
export const DirectoryMember = Type.Object({
  profile: PublicProfile,
  /** The department the membership is in (a sub-department when listing recursively). */
  departmentId: Id,
  title: Type.String(),
  primary: Type.Boolean(),
});
export type DirectoryMember = Static<typeof DirectoryMember>;

export const DirectoryMemberPage = Type.Object({
  members: Type.Array(DirectoryMember),
  /** null on the last page. */
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});
export type DirectoryMemberPage = Static<typeof DirectoryMemberPage>;

export const UserDepartmentsQuery = Type.Object({ userId: Id });
export type UserDepartmentsQuery = Static<typeof UserDepartmentsQuery>;

/** One of a user's departments, with the names from the top down for display. */
export const UserDepartment = Type.Object({
  departmentId: Id,
  /** Names from the top-level department down to this one. */
  path: Type.Array(Type.String()),
  title: Type.String(),
  primary: Type.Boolean(),
});
export type UserDepartment = Static<typeof UserDepartment>;

export const UserDepartments = Type.Object({ userId: Id, departments: Type.Array(UserDepartment) });
export type UserDepartments = Static<typeof UserDepartments>;

export const CreateDepartmentBody = Type.Object(
  {
    parentId: Type.Union([Id, Type.Null()]),
    name: DepartmentName,
    sortOrder: Type.Optional(Type.Integer({ minimum: -1_000_000, maximum: 1_000_000 })),
  },
  { additionalProperties: false },
);
export type CreateDepartmentBody = Static<typeof CreateDepartmentBody>;

export const UpdateDepartmentBody = Type.Object(
  {
    id: Id,
    name: Type.Optional(DepartmentName),
    sortOrder: Type.Optional(Type.Integer({ minimum: -1_000_000, maximum: 1_000_000 })),
  },
  { additionalProperties: false, minProperties: 2 },
);
export type UpdateDepartmentBody = Static<typeof UpdateDepartmentBody>;

export const MoveDepartmentBody = Type.Object(
  { id: Id, parentId: Type.Union([Id, Type.Null()]) },
  { additionalProperties: false },
);
export type MoveDepartmentBody = Static<typeof MoveDepartmentBody>;

export const DepartmentIdParams = Type.Object({ id: Id });
export type DepartmentIdParams = Static<typeof DepartmentIdParams>;

export const DepartmentAssignment = Type.Object(
  { departmentId: Id, title: JobTitle, primary: Type.Boolean() },
  { additionalProperties: false },
);
export type DepartmentAssignment = Static<typeof DepartmentAssignment>;

/** Replaces all of a user's departments; at most one may be primary (the first one if none is). */
export const SetUserDepartmentsBody = Type.Object(
  { userId: Id, departments: Type.Array(DepartmentAssignment, { maxItems: 50 }) },
  { additionalProperties: false },
);
export type SetUserDepartmentsBody = Static<typeof SetUserDepartmentsBody>;

/** What an import did (or, in a dry run, would do) with one source line or entry. */
export const ImportAction = Type.Union([
  Type.Literal('create'),
  Type.Literal('update'),
  Type.Literal('unchanged'),
  Type.Literal('refused'),
]);
export type ImportAction = Static<typeof ImportAction>;

export const ImportLine = Type.Object({
  /** 1-based line of the CSV (the header is line 1), or the entry's position in the LDAP result. */
  line: Type.Integer({ minimum: 1 }),
  action: ImportAction,
  phone: Type.String(),
  nickname: Type.String(),
  department: Type.String(),
  title: Type.String(),
  /** Why the line was refused (a short English reason: bad phone, empty nickname, ...). */
  reason: Type.Optional(Type.String()),
});
export type ImportLine = Static<typeof ImportLine>;

export const ImportReport = Type.Object({
  dryRun: Type.Boolean(),
  lines: Type.Array(ImportLine),
  /** Department paths created (or, in a dry run, to be created), top-down. */
  departmentsCreated: Type.Array(Type.String()),
  created: Type.Integer({ minimum: 0 }),
  updated: Type.Integer({ minimum: 0 }),
  unchanged: Type.Integer({ minimum: 0 }),
  refused: Type.Integer({ minimum: 0 }),
});
export type ImportReport = Static<typeof ImportReport>;

/** Most CSV text one import takes (the operation raises the HTTP body limit to fit it). */
export const MAX_IMPORT_CSV_CHARS = 4 * 1024 * 1024;

export const ImportCsvBody = Type.Object(
  { csv: Type.String({ minLength: 1, maxLength: MAX_IMPORT_CSV_CHARS }), dryRun: Type.Boolean() },
  { additionalProperties: false },
);
export type ImportCsvBody = Static<typeof ImportCsvBody>;

/** Which LDAP attribute holds each field. The department comes from `department` or the DN's `ou`s. */
export const LdapAttributeMap = Type.Object(
  {
    phone: Type.String({ minLength: 1, maxLength: 64 }),
    nickname: Type.String({ minLength: 1, maxLength: 64 }),
    title: Type.String({ maxLength: 64 }),
    /** Empty: the department path is built from the `ou=` parts of the entry's DN below the base DN. */
    department: Type.String({ maxLength: 64 }),
  },
  { additionalProperties: false },
);
export type LdapAttributeMap = Static<typeof LdapAttributeMap>;

/** An LDAP source without its bind password (what the server keeps when asked to). */
export const LdapSource = Type.Object(
  {
    url: Type.String({ minLength: 1, maxLength: 500, pattern: '^ldaps?://' }),
    bindDN: Type.String({ maxLength: 500 }),
    baseDN: Type.String({ minLength: 1, maxLength: 500 }),
    filter: Type.String({ minLength: 1, maxLength: 1000 }),
    attributes: LdapAttributeMap,
  },
  { additionalProperties: false },
);
export type LdapSource = Static<typeof LdapSource>;

export const ImportLdapBody = Type.Object(
  {
    ...LdapSource.properties,
    /** Omit to use the saved password of the saved configuration. */
    password: Type.Optional(Type.String({ maxLength: 500 })),
    dryRun: Type.Boolean(),
    /** Keep this configuration (the password sealed with the keyring) for the next import. */
    save: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type ImportLdapBody = Static<typeof ImportLdapBody>;

export const LdapConfigQuery = Type.Object({});
export type LdapConfigQuery = Static<typeof LdapConfigQuery>;

export const SavedLdapConfig = Type.Object({
  source: Type.Union([LdapSource, Type.Null()]),
  hasPassword: Type.Boolean(),
});
export type SavedLdapConfig = Static<typeof SavedLdapConfig>;
