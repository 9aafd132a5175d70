import type { Contact, PublicProfile } from '@zhixin/sdk';

/**
 * The contact part of the people store, changed only through the pure functions below so the
 * event handling can be tested without a client, a cache or React.
 */
export interface ContactsState {
  /** My contacts by user id. */
  contacts: Record<string, Contact>;
  /** Non-empty remarks by user id; always derived from `contacts`. */
  remarks: Record<string, string>;
  /** Profiles by user id; contacts bring their current profile along. */
  profiles: Record<string, PublicProfile>;
}

function remarksOf(contacts: Record<string, Contact>): Record<string, string> {
  const remarks: Record<string, string> = {};
  for (const c of Object.values(contacts)) if (c.remark) remarks[c.userId] = c.remark;
  return remarks;
}

function withProfiles(
  profiles: Record<string, PublicProfile>,
  contacts: readonly Contact[],
): Record<string, PublicProfile> {
  if (contacts.length === 0) return profiles;
  const next = { ...profiles };
  for (const c of contacts) next[c.userId] = c.profile;
  return next;
}

/**
 * The whole list as the server (or the cache) gave it. Entries changed by an event after the
 * list was asked for win: a newer `updatedAt` is kept, and ids in `removedMeanwhile` stay out.
 */
export function replaceContacts(
  state: ContactsState,
  list: readonly Contact[],
  removedMeanwhile: ReadonlySet<string> = new Set(),
): ContactsState {
  const contacts: Record<string, Contact> = {};
  for (const c of list) {
    if (removedMeanwhile.has(c.userId)) continue;
    const known = state.contacts[c.userId];
    contacts[c.userId] = known && known.updatedAt > c.updatedAt ? known : c;
  }
  return {
    contacts,
    remarks: remarksOf(contacts),
    profiles: withProfiles(state.profiles, Object.values(contacts)),
  };
}

/** A contact added or changed (by me here, or by another of my devices); older news is ignored. */
export function upsertContact(state: ContactsState, contact: Contact): ContactsState {
  const known = state.contacts[contact.userId];
  if (known && known.updatedAt > contact.updatedAt) return state;
  const contacts = { ...state.contacts, [contact.userId]: contact };
  return { contacts, remarks: remarksOf(contacts), profiles: withProfiles(state.profiles, [contact]) };
}

/** A contact removed; their profile stays known (they may still be in my chats). */
export function removeContact(state: ContactsState, userId: string): ContactsState {
  if (!state.contacts[userId]) return state;
  const contacts = { ...state.contacts };
  delete contacts[userId];
  return { contacts, remarks: remarksOf(contacts), profiles: state.profiles };
}

/** A profile update: contacts carry a copy of the profile, which follows it. */
export function updateProfiles(state: ContactsState, profiles: readonly PublicProfile[]): ContactsState {
  if (profiles.length === 0) return state;
  const nextProfiles = { ...state.profiles };
  let contacts = state.contacts;
  for (const p of profiles) {
    nextProfiles[p.id] = p;
    const c = contacts[p.id];
    if (c) contacts = { ...contacts, [p.id]: { ...c, profile: p } };
  }
  return { contacts, remarks: state.remarks, profiles: nextProfiles };
}
