import type { Contact, PublicProfile } from '@zhixin/protocol';
import { AppError } from '../../errors.ts';
import type { EventSink } from '../../platform/events.ts';
import type { Caller } from '../deps.ts';
import type { UsersService } from '../users/index.ts';
import type { ContactRecord, ContactsRepo } from './contacts.repo.ts';

/** Profiles are fetched this many at a time (bounded IN lists on both databases). */
const PROFILES_PER_QUERY = 500;

export interface ContactsService {
  list(caller: Caller): Promise<Contact[]>;
  /**
   * Kept for old clients: only friends are contacts now (friend requests add them), so this sets
   * the remark of an existing contact. CONTACT_SELF for oneself, NOT_FOUND for unknown or disabled
   * users, NOT_FRIENDS for anyone not already my contact.
   */
  add(caller: Caller, userId: string, remark?: string): Promise<Contact>;
  /** NOT_FOUND when the user is not my contact. */
  remove(caller: Caller, userId: string): Promise<void>;
  /** NOT_FOUND when the user is not my contact. */
  setRemark(caller: Caller, userId: string, remark: string): Promise<Contact>;

  // For the friends module, which decides who becomes whose contact.
  /** Whether `contactId` is in `ownerId`'s list. */
  has(ownerId: string, contactId: string): Promise<boolean>;
  /**
   * Put each user in the other's list (keeping an existing entry; a given remark replaces its
   * remark) and tell every device of both.
   */
  link(a: LinkSide, b: LinkSide): Promise<{ a: Contact; b: Contact }>;
  /** Take each user out of the other's list and tell every device of both; false when neither had the other. */
  unlink(a: string, b: string): Promise<boolean>;
  /** The contact ids of each owner (at most 500 owners a call), for recommendation and exports. */
  contactIdsOf(ownerIds: readonly string[]): Promise<Map<string, string[]>>;
  /** The user's friends: contacts who have the user in their list too (moments visibility). */
  friendIds(userId: string): Promise<string[]>;
}

/** One side of a new friendship: the user and the remark they give the other (if any). */
export interface LinkSide {
  userId: string;
  remark?: string;
}

export interface ContactsServiceDeps {
  repo: ContactsRepo;
  users: Pick<UsersService, 'existing' | 'profiles' | 'officialIds'>;
  events: EventSink;
  now?: () => number;
}

function present(record: ContactRecord, profile: PublicProfile): Contact {
  return {
    userId: record.contactId,
    remark: record.remark,
    profile,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
}

function notAContact(userId: string): AppError {
  return new AppError('NOT_FOUND', { what: 'contact', userId }, 'not a contact');
}

/** A personal contact list with private remarks; every change reaches the owner's other devices. */
export function createContactsService(d: ContactsServiceDeps): ContactsService {
  const now = d.now ?? Date.now;

  async function presentOne(record: ContactRecord): Promise<Contact> {
    const [profile] = await d.users.profiles([record.contactId]);
    if (!profile) throw notAContact(record.contactId);
    return present(record, profile);
  }

  function announce(caller: Caller, contact: Contact): void {
    d.events.emit([caller.userId], 'contact.updated.v1', contact, { exceptSessionId: caller.sessionId });
  }

  return {
    async list(caller) {
      const records = await d.repo.list(caller.userId);
      const profiles = new Map<string, PublicProfile>();
      for (let i = 0; i < records.length; i += PROFILES_PER_QUERY) {
        const ids = records.slice(i, i + PROFILES_PER_QUERY).map((r) => r.contactId);
        for (const p of await d.users.profiles(ids)) profiles.set(p.id, p);
      }
      const mine = records.flatMap((r) => {
        const profile = profiles.get(r.contactId);
        return profile ? [present(r, profile)] : [];
      });
      // Official accounts (the operations account) are in everyone's list, first.
      const officialIds = d.users.officialIds().filter((id) => id !== caller.userId);
      const official = officialIds.length ? await d.users.profiles(officialIds) : [];
      return [
        ...official.map((p) => ({ userId: p.id, remark: '', profile: p, createdAt: 0, updatedAt: 0 })),
        ...mine,
      ];
    },

    async add(caller, userId, remark) {
      if (userId === caller.userId) throw new AppError('CONTACT_SELF');
      if (!(await d.users.existing([userId])).has(userId)) {
        throw new AppError('NOT_FOUND', { what: 'user', userIds: [userId] }, 'user not found');
      }
      const before = await d.repo.get(caller.userId, userId);
      if (!before) throw new AppError('NOT_FRIENDS', { userId });
      const clean = remark?.trim();
      if (clean !== undefined) await d.repo.setRemark(caller.userId, userId, clean, now());
      const after = await d.repo.get(caller.userId, userId);
      if (!after) throw notAContact(userId);
      const contact = await presentOne(after);
      if (before.remark !== after.remark) announce(caller, contact);
      return contact;
    },

    async remove(caller, userId) {
      if (!(await d.repo.remove(caller.userId, userId))) throw notAContact(userId);
      d.events.emit([caller.userId], 'contact.removed.v1', { userId }, { exceptSessionId: caller.sessionId });
    },

    async setRemark(caller, userId, remark) {
      if (!(await d.repo.setRemark(caller.userId, userId, remark.trim(), now()))) throw notAContact(userId);
      const record = await d.repo.get(caller.userId, userId);
      if (!record) throw notAContact(userId);
      const contact = await presentOne(record);
      announce(caller, contact);
      return contact;
    },

    async has(ownerId, contactId) {
      return (await d.repo.get(ownerId, contactId)) !== null;
    },

    async link(a, b) {
      const at = now();
      await d.repo.upsert(a.userId, b.userId, a.remark?.trim() || undefined, at);
      await d.repo.upsert(b.userId, a.userId, b.remark?.trim() || undefined, at);
      const [recA, recB] = await Promise.all([
        d.repo.get(a.userId, b.userId),
        d.repo.get(b.userId, a.userId),
      ]);
      if (!recA || !recB) throw notAContact(recA ? a.userId : b.userId);
      const [contactA, contactB] = await Promise.all([presentOne(recA), presentOne(recB)]);
      d.events.emit([a.userId], 'contact.updated.v1', contactA);
      d.events.emit([b.userId], 'contact.updated.v1', contactB);
      return { a: contactA, b: contactB };
    },

    contactIdsOf: (ownerIds) => d.repo.contactIdsOf(ownerIds),
    friendIds: (userId) => d.repo.mutualIds(userId),

    async unlink(a, b) {
      const [removedA, removedB] = [await d.repo.remove(a, b), await d.repo.remove(b, a)];
      if (removedA) d.events.emit([a], 'contact.removed.v1', { userId: b });
      if (removedB) d.events.emit([b], 'contact.removed.v1', { userId: a });
      return removedA || removedB;
    },
  };
}
