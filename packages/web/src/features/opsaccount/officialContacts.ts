import type { Section } from '../contacts/collation.ts';
import type { ContactRow } from '../contacts/useContactSections.ts';
import { usePeople } from '../../data/people.ts';
import { useMemo } from 'react';

/** Ids of my official contacts (the operations account), from their profiles. */
export function useOfficialContactIds(): ReadonlySet<string> {
  const contacts = usePeople((s) => s.contacts);
  return useMemo(
    () => new Set(Object.values(contacts).flatMap((c) => (c.profile.official ? [c.userId] : []))),
    [contacts],
  );
}

/**
 * Take official contacts out of the letter sections: the lists pin them above the sections, with
 * their badge, instead of filing them under a letter.
 */
export function splitOfficial(
  sections: readonly Section<ContactRow>[],
  officialIds: ReadonlySet<string>,
): { pinned: ContactRow[]; sections: Section<ContactRow>[] } {
  if (officialIds.size === 0) return { pinned: [], sections: [...sections] };
  const pinned: ContactRow[] = [];
  const rest: Section<ContactRow>[] = [];
  for (const section of sections) {
    const items = section.items.filter((row) => {
      if (!officialIds.has(row.userId)) return true;
      pinned.push(row);
      return false;
    });
    if (items.length > 0) rest.push({ ...section, items });
  }
  return { pinned, sections: rest };
}
