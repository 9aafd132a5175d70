import type { Contact, PublicProfile } from '@zhixin/sdk';
import { useEffect } from 'react';
import { create } from 'zustand';
import { client } from '../app/client.ts';
import { cacheDb } from './cache.ts';
import {
  removeContact,
  replaceContacts,
  updateProfiles,
  upsertContact,
  type ContactsState,
} from './people-state.ts';

interface PeopleState extends ContactsState {
  /** Whether the contact list has been loaded once (from the cache or the server). */
  contactsLoaded: boolean;
  /** Who is online, for the users asked about and those reported by `presence` events. */
  online: Record<string, boolean>;
}

const EMPTY: PeopleState = { profiles: {}, remarks: {}, contacts: {}, contactsLoaded: false, online: {} };

/** What this device knows about other people: profiles, my contacts and remarks, presence. */
export const usePeople = create<PeopleState>(() => ({ ...EMPTY }));

const requested = new Set<string>();
let batch: Set<string> | null = null;

/** Load profiles not yet known (batched per tick, at most 200 per request). */
export function ensureProfiles(userIds: Iterable<string>): void {
  const known = usePeople.getState().profiles;
  for (const id of userIds) {
    if (known[id] || requested.has(id)) continue;
    requested.add(id);
    if (!batch) {
      batch = new Set();
      queueMicrotask(flush);
    }
    batch.add(id);
  }
}

function flush(): void {
  const ids = [...(batch ?? [])];
  batch = null;
  for (let i = 0; i < ids.length; i += 200) {
    const chunk = ids.slice(i, i + 200);
    client.users
      .profiles(chunk)
      .then((profiles) => putProfiles(profiles))
      .catch(() => chunk.forEach((id) => requested.delete(id)));
  }
}

/** Run a cache write; the cache is closed once signed out, and a failed write only costs a refetch. */
function toCache(write: () => Promise<unknown>): void {
  try {
    void write().catch(() => undefined);
  } catch {
    // Signed out meanwhile: nothing to keep.
  }
}

/** Store profiles in memory and in the cache (contacts' copies of them follow). */
export function putProfiles(profiles: readonly PublicProfile[]): void {
  if (profiles.length === 0) return;
  usePeople.setState((s) => updateProfiles(s, profiles));
  toCache(() => cacheDb().profiles.bulkPut([...profiles]));
}

/** Load cached profiles and contacts into memory (at sign-in, before the network answers). */
export async function loadCachedPeople(): Promise<void> {
  const db = cacheDb();
  const [profiles, contacts] = await Promise.all([db.profiles.toArray(), db.contacts.toArray()]);
  usePeople.setState((s) => {
    const withProfiles = {
      ...s,
      profiles: { ...Object.fromEntries(profiles.map((p) => [p.id, p])), ...s.profiles },
    };
    // The server's list may already be here (it answered first): it is newer than the cache.
    if (s.contactsLoaded) return withProfiles;
    return { ...replaceContacts(withProfiles, contacts), contactsLoaded: contacts.length > 0 };
  });
}

/** Ids removed by an event while a list request is in flight: the list must not bring them back. */
let removedDuringList: Set<string> | null = null;

/** Fetch my contact list from the server and keep it (memory and cache). */
export async function refreshContacts(): Promise<void> {
  const removed = new Set<string>();
  removedDuringList = removed;
  try {
    const list = await client.contacts.list();
    usePeople.setState((s) => ({ ...replaceContacts(s, list, removed), contactsLoaded: true }));
    const kept = Object.values(usePeople.getState().contacts);
    toCache(() => {
      const db = cacheDb();
      return db.transaction('rw', db.contacts, db.profiles, async () => {
        await db.contacts.clear();
        await db.contacts.bulkPut(kept);
        await db.profiles.bulkPut(kept.map((c) => c.profile));
      });
    });
  } finally {
    if (removedDuringList === removed) removedDuringList = null;
  }
}

/** My contacts: from the cache first (instant), then from the server. */
export async function loadContacts(): Promise<void> {
  await loadCachedPeople().catch(() => undefined);
  await refreshContacts();
}

function keepContact(contact: Contact): void {
  usePeople.setState((s) => upsertContact(s, contact));
  toCache(() => cacheDb().contacts.put(contact));
}

function dropContact(userId: string): void {
  removedDuringList?.add(userId);
  usePeople.setState((s) => removeContact(s, userId));
  toCache(() => cacheDb().contacts.delete(userId));
}

/**
 * Keep the people store in step with the server while signed in: applies `contact.updated` /
 * `contact.removed` (from my other devices too), follows `presence` events, and fetches the
 * contact list each time the connection comes up (contact events missed while offline are not
 * replayed). Call once per sign-in from the data layer, after `loadCachedPeople()` has shown the
 * cached list; the returned function unsubscribes.
 *
 * @example
 * const stopPeople = startPeopleSync();
 * // at sign-out:
 * stopPeople();
 */
export function startPeopleSync(): () => void {
  const refresh = () => void refreshContacts().catch(() => undefined);
  const offs = [
    client.on('contact.updated', keepContact),
    client.on('contact.removed', ({ userId }) => dropContact(userId)),
    client.on('presence', ({ userId, online }) =>
      usePeople.setState((s) => ({ online: { ...s.online, [userId]: online } })),
    ),
    client.on('connection.state', ({ state }) => {
      if (state === 'connected') refresh();
    }),
  ];
  if (client.connectionState === 'connected') refresh();
  return () => offs.forEach((off) => off());
}

/** Add a user to my contacts (or, if already one, set the remark). */
export async function addContact(userId: string, remark?: string): Promise<Contact> {
  const contact = await client.contacts.add(userId, remark);
  keepContact(contact);
  return contact;
}

/** Set or clear (empty text) my remark for a contact. */
export async function setContactRemark(userId: string, remark: string): Promise<Contact> {
  const contact = await client.contacts.setRemark(userId, remark.trim());
  keepContact(contact);
  return contact;
}

/** Remove a user from my contacts. */
export async function deleteContact(userId: string): Promise<void> {
  await client.contacts.remove(userId);
  dropContact(userId);
}

/** Ask who of these users is online now (changes then come as `presence` events). */
export async function refreshPresence(userIds: readonly string[]): Promise<void> {
  if (userIds.length === 0) return;
  const list = await client.users.presence(userIds);
  usePeople.setState((s) => {
    const online = { ...s.online };
    for (const p of list) online[p.userId] = p.online;
    return { online };
  });
}

export function resetPeople(): void {
  requested.clear();
  removedDuringList = null;
  usePeople.setState({ ...EMPTY }, true);
}

/** How to name a user: the owner's remark, else their nickname, else a short id while loading. */
export function displayNameOf(userId: string): string {
  const { profiles, remarks } = usePeople.getState();
  return remarks[userId] || profiles[userId]?.nickname || userId.slice(-6);
}

/** A user's profile, loading it when unknown. */
export function useProfile(userId: string | null | undefined): PublicProfile | undefined {
  const profile = usePeople((s) => (userId ? s.profiles[userId] : undefined));
  useEffect(() => {
    if (userId && !profile) ensureProfiles([userId]);
  }, [userId, profile]);
  return profile;
}

/** The name to show for a user (remark first), loading their profile when unknown. */
export function useDisplayName(userId: string | null | undefined): string {
  useProfile(userId);
  return usePeople((s) =>
    userId ? s.remarks[userId] || s.profiles[userId]?.nickname || userId.slice(-6) : '',
  );
}

/** My contact entry for a user, or undefined when they are not in my contacts. */
export function useContact(userId: string | null | undefined): Contact | undefined {
  return usePeople((s) => (userId ? s.contacts[userId] : undefined));
}

/** Whether a user is online (undefined until known); asks the server once per mount. */
export function useOnline(userId: string | null | undefined): boolean | undefined {
  const online = usePeople((s) => (userId ? s.online[userId] : undefined));
  useEffect(() => {
    if (userId) void refreshPresence([userId]).catch(() => undefined);
  }, [userId]);
  return online;
}
