import { Type, type Static } from 'typebox';
import { Id, Timestamp } from './common.ts';
import { PublicProfile } from './users.ts';

/** A friend's name as the owner wants to see it; empty means "no remark, show the nickname". */
export const Remark = Type.String({ maxLength: 32 });

/**
 * One entry of a user's own contact list. The remark is private to the owner and always travels
 * beside the contact's own profile, so clients can show both ("remark (nickname)").
 */
export const Contact = Type.Object({
  userId: Id,
  remark: Remark,
  profile: PublicProfile,
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Contact = Static<typeof Contact>;

export const ContactList = Type.Object({ contacts: Type.Array(Contact) });
export type ContactList = Static<typeof ContactList>;

export const ListContactsQuery = Type.Object({});
export type ListContactsQuery = Static<typeof ListContactsQuery>;

export const AddContactBody = Type.Object(
  { userId: Id, remark: Type.Optional(Remark) },
  { additionalProperties: false },
);
export type AddContactBody = Static<typeof AddContactBody>;

export const SetRemarkBody = Type.Object({ userId: Id, remark: Remark }, { additionalProperties: false });
export type SetRemarkBody = Static<typeof SetRemarkBody>;

export const ContactUserParams = Type.Object({ userId: Id });
export type ContactUserParams = Static<typeof ContactUserParams>;

/** Sent to every device of the owner when a contact is added or its remark changes. */
export const ContactUpdatedEvent = Contact;
/** Sent to every device of the owner when a contact is removed. */
export const ContactRemovedEvent = Type.Object({ userId: Id });
export type ContactRemovedEvent = Static<typeof ContactRemovedEvent>;
