import type { Contact, PublicProfile } from '@zhixin/sdk';
import { describe, expect, it } from 'vitest';
import {
  removeContact,
  replaceContacts,
  updateProfiles,
  upsertContact,
  type ContactsState,
} from './people-state.ts';

function profile(id: string, nickname = `nick-${id}`): PublicProfile {
  return { id, nickname, avatarFileId: null, signature: '', account: null };
}

function contact(userId: string, remark = '', updatedAt = 1000): Contact {
  return { userId, remark, profile: profile(userId), createdAt: 1000, updatedAt };
}

const empty: ContactsState = { contacts: {}, remarks: {}, profiles: {} };

describe('replaceContacts', () => {
  it('keeps the list, its non-empty remarks and its profiles', () => {
    const s = replaceContacts(empty, [contact('a', '老王'), contact('b')]);
    expect(Object.keys(s.contacts).sort()).toEqual(['a', 'b']);
    expect(s.remarks).toEqual({ a: '老王' });
    expect(s.profiles.b?.nickname).toBe('nick-b');
  });

  it('drops contacts that are no longer in the list but keeps their profiles', () => {
    const before = replaceContacts(empty, [contact('a', '老王'), contact('b')]);
    const after = replaceContacts(before, [contact('b')]);
    expect(after.contacts.a).toBeUndefined();
    expect(after.remarks).toEqual({});
    expect(after.profiles.a).toBeDefined();
  });

  it('keeps an entry changed by an event after the list was asked for', () => {
    const afterEvent = upsertContact(empty, contact('a', '新备注', 2000));
    const s = replaceContacts(afterEvent, [contact('a', '旧备注', 1500)]);
    expect(s.remarks.a).toBe('新备注');
  });

  it('leaves out contacts removed while the list was in flight', () => {
    const s = replaceContacts(empty, [contact('a'), contact('b')], new Set(['a']));
    expect(Object.keys(s.contacts)).toEqual(['b']);
  });
});

describe('upsertContact', () => {
  it('adds a contact and its remark (contact.updated from another device)', () => {
    const s = upsertContact(empty, contact('a', '同事'));
    expect(s.contacts.a?.remark).toBe('同事');
    expect(s.remarks).toEqual({ a: '同事' });
    expect(s.profiles.a?.id).toBe('a');
  });

  it('clears the remark when it becomes empty', () => {
    const s = upsertContact(upsertContact(empty, contact('a', '同事', 1)), contact('a', '', 2));
    expect(s.remarks).toEqual({});
    expect(s.contacts.a).toBeDefined();
  });

  it('ignores news older than what it has', () => {
    const s = upsertContact(empty, contact('a', '新', 5));
    expect(upsertContact(s, contact('a', '旧', 4))).toBe(s);
  });
});

describe('removeContact', () => {
  it('removes the contact and its remark (contact.removed)', () => {
    const s = removeContact(upsertContact(empty, contact('a', '同事')), 'a');
    expect(s.contacts).toEqual({});
    expect(s.remarks).toEqual({});
    expect(s.profiles.a).toBeDefined();
  });

  it('changes nothing for a user who is not a contact', () => {
    expect(removeContact(empty, 'x')).toBe(empty);
  });
});

describe('updateProfiles', () => {
  it('updates profiles and the copy each contact carries', () => {
    const s = updateProfiles(upsertContact(empty, contact('a', '同事')), [
      profile('a', '改名了'),
      profile('z'),
    ]);
    expect(s.profiles.a?.nickname).toBe('改名了');
    expect(s.contacts.a?.profile.nickname).toBe('改名了');
    expect(s.profiles.z).toBeDefined();
    expect(s.contacts.z).toBeUndefined();
  });
});
