import { Type, type Static } from 'typebox';
import { Id, Phone, Timestamp } from './common.ts';

/**
 * A user's role on the platform. Staff roles are users too (they chat like anyone):
 * `operator` runs the console (users, groups, settings, statistics, operations account), `auditor`
 * reads evidence and the audit log only, `admin` may do everything.
 */
export const Role = Type.Union([
  Type.Literal('user'),
  Type.Literal('operator'),
  Type.Literal('auditor'),
  Type.Literal('admin'),
]);
export type Role = Static<typeof Role>;

/** What any signed-in user may see of another. */
export const PublicProfile = Type.Object({
  id: Id,
  nickname: Type.String(),
  avatarFileId: Type.Union([Id, Type.Null()]),
  signature: Type.String(),
  /** The user's 致信号, or null while unset. */
  account: Type.Union([Type.String(), Type.Null()]),
  /** Present (true) only for official accounts such as the operations account: clients show a badge. */
  official: Type.Optional(Type.Boolean()),
});
export type PublicProfile = Static<typeof PublicProfile>;

/** What a user sees of themself. */
export const Me = Type.Object({
  id: Id,
  phone: Type.String(),
  nickname: Type.String(),
  avatarFileId: Type.Union([Id, Type.Null()]),
  signature: Type.String(),
  role: Role,
  createdAt: Timestamp,
  /** My 致信号, or null while unset. */
  account: Type.Union([Type.String(), Type.Null()]),
});
export type Me = Static<typeof Me>;

export const UpdateProfileBody = Type.Object(
  {
    nickname: Type.Optional(Type.String({ minLength: 1, maxLength: 32 })),
    avatarFileId: Type.Optional(Type.Union([Id, Type.Null()])),
    signature: Type.Optional(Type.String({ maxLength: 120 })),
  },
  { minProperties: 1 },
);
export type UpdateProfileBody = Static<typeof UpdateProfileBody>;

export const UserIdsQuery = Type.Object({
  /** Comma-separated user ids, at most 200. */
  ids: Type.String({ minLength: 1, maxLength: 200 * 65 }),
});
export type UserIdsQuery = Static<typeof UserIdsQuery>;

export const ProfileList = Type.Object({ users: Type.Array(PublicProfile) });
export type ProfileList = Static<typeof ProfileList>;

export const LookupByPhoneQuery = Type.Object({ phone: Phone });
export type LookupByPhoneQuery = Static<typeof LookupByPhoneQuery>;
