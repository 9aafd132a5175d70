import * as K from '../contacts.ts';
import { Ok } from '../common.ts';
import { op } from './op.ts';

/** My personal contact list (friend requests build on it later). */
export const ContactOperations = {
  'contacts.list': op({
    method: 'GET',
    path: '/contacts',
    request: K.ListContactsQuery,
    response: K.ContactList,
    access: 'user',
    ws: true,
    summary: 'My contacts, each with its current public profile and my remark',
    tag: 'contacts',
  }),
  'contacts.add': op({
    method: 'POST',
    path: '/contacts',
    request: K.AddContactBody,
    response: K.Contact,
    access: 'user',
    ws: true,
    summary: 'Add a user to my contacts (again: only sets the remark, if given)',
    tag: 'contacts',
  }),
  'contacts.remove': op({
    method: 'DELETE',
    path: '/contacts/{userId}',
    request: K.ContactUserParams,
    response: Ok,
    access: 'user',
    ws: true,
    summary: 'Remove a user from my contacts',
    tag: 'contacts',
  }),
  'contacts.setRemark': op({
    method: 'PATCH',
    path: '/contacts/{userId}',
    request: K.SetRemarkBody,
    response: K.Contact,
    access: 'user',
    ws: true,
    summary: 'Set (or clear, with empty text) my remark for a contact',
    tag: 'contacts',
  }),
} as const;
