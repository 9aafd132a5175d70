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
  /** CONTACT_SELF for oneself, NOT_FOUND for unknown or disabled users. */
  add(caller: Caller, userId: string, remark?: string): Promise<Contact>;
  /** NOT_FOUND when the user is not my contact. */
  remove(caller: Caller, userId: string): Promise<void>;
  /** NOT_FOUND when the user is not my contact. */
  setRemark(caller: Caller, userId: string, remark: string): Promise<Contact>;
}

export interface ContactsServiceDeps {
  repo: ContactsRepo;
  users: Pick<UsersService, 'existing' | 'profiles'>;
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
      return records.flatMap((r) => {
        const profile = profiles.get(r.contactId);
        return profile ? [present(r, profile)] : [];
      });
    },

    async add(caller, userId, remark) {
      if (userId === caller.userId) throw new AppError('CONTACT_SELF');
      if (!(await d.users.existing([userId])).has(userId)) {
        throw new AppError('NOT_FOUND', { what: 'user', userIds: [userId] }, 'user not found');
      }
      const before = await d.repo.get(caller.userId, userId);
      const clean = remark?.trim();
      await d.repo.upsert(caller.userId, userId, clean, now());
      const after = await d.repo.get(caller.userId, userId);
      if (!after) throw notAContact(userId);
      const contact = await presentOne(after);
      if (!before || before.remark !== after.remark) announce(caller, contact);
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
  };
}
