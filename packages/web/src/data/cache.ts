import type { Contact, Conversation, Message, PublicProfile } from '@zhixin/sdk';
import { Dexie, type EntityTable, type Table } from 'dexie';

/** A small key/value row: sync cursors, the last opened conversation, and the like. */
export interface KvRow {
  key: string;
  value: unknown;
}

/**
 * This device's copy of one user's data in IndexedDB (R-C3, R-X8): what a returning user sees
 * before the network answers. One database per user (`zhixin-<userId>`), deleted at logout.
 * The server stays the source of truth; everything here is refreshed by sync.
 */
export class CacheDb extends Dexie {
  conversations!: EntityTable<Conversation, 'id'>;
  /** Keyed by [conversationId+seq]; pending (unsent) messages are not cached. */
  messages!: Table<Message, [string, number]>;
  profiles!: EntityTable<PublicProfile, 'id'>;
  contacts!: EntityTable<Contact, 'userId'>;
  kv!: EntityTable<KvRow, 'key'>;

  constructor(userId: string) {
    super(`zhixin-${userId}`);
    this.version(1).stores({
      conversations: 'id, updatedAt',
      messages: '[conversationId+seq], conversationId',
      profiles: 'id',
      contacts: 'userId',
      kv: 'key',
    });
  }
}

let current: CacheDb | null = null;

/** The open cache of the signed-in user; throws when nobody is signed in. */
export function cacheDb(): CacheDb {
  if (!current) throw new Error('cache is not open: nobody is signed in');
  return current;
}

export function openCache(userId: string): CacheDb {
  if (current?.name !== `zhixin-${userId}`) {
    current?.close();
    current = new CacheDb(userId);
  }
  return current;
}

/** The open cache, or null when nobody is signed in (writers that may outlive a session use this). */
export function currentCache(): CacheDb | null {
  return current;
}

/** Close the cache; with `deleteFor`, delete that user's database too (logout). */
export async function closeCache(deleteFor: string | null): Promise<void> {
  current?.close();
  current = null;
  if (deleteFor) await Dexie.delete(`zhixin-${deleteFor}`);
}
