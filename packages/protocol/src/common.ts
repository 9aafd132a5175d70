import { Type, type Static } from 'typebox';

/** Server-generated identifiers are opaque strings (time-ordered, URL-safe). */
export const Id = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' });
/** Milliseconds since the Unix epoch. */
export const Timestamp = Type.Integer({ minimum: 0 });
/** Mainland China mobile numbers, optionally with +86; other E.164 numbers with a leading +. */
export const Phone = Type.String({ pattern: '^(\\+86)?1[3-9][0-9]{9}$|^\\+[1-9][0-9]{6,14}$' });
export const Password = Type.String({ minLength: 8, maxLength: 128 });
export const SmsCode = Type.String({ pattern: '^[0-9]{6}$' });

export const Ok = Type.Object({ ok: Type.Literal(true) });
export type Ok = Static<typeof Ok>;

export const IdParams = Type.Object({ id: Id });
export type IdParams = Static<typeof IdParams>;
