import type { Contact } from '@zhixin/sdk';
import { useMemo } from 'react';
import { usePeople } from '../../data/people.ts';
import { sectionsByInitial, type Section } from './collation.ts';
import { matchesName } from './search.ts';

/** A contact as a list row shows it. */
export interface ContactRow {
  userId: string;
  /** The remark, else the nickname. */
  name: string;
  nickname: string;
  remark: string;
}

export function rowOf(contact: Contact): ContactRow {
  return {
    userId: contact.userId,
    name: contact.remark || contact.profile.nickname,
    nickname: contact.profile.nickname,
    remark: contact.remark,
  };
}

/** My contacts that match the search, in letter sections (A..Z, #), sorted in Chinese order. */
export function useContactSections(query: string): { sections: Section<ContactRow>[]; total: number } {
  const contacts = usePeople((s) => s.contacts);
  return useMemo(() => {
    const all = Object.values(contacts).map(rowOf);
    const rows = all.filter((r) => matchesName(query, r));
    return { sections: sectionsByInitial(rows, (r) => r.name), total: all.length };
  }, [contacts, query]);
}
