import type { OpResponse } from '@zhixin/protocol';
import type { Call } from '../transport.ts';

export type Contact = OpResponse<'contacts.add'>;

/**
 * My personal contact list. Every change also arrives on all my devices as `contact.updated` /
 * `contact.removed` events, so a list shown on screen can follow them without polling.
 */
export class ContactsManager {
  constructor(private readonly call: Call) {}

  /**
   * My contacts, each with the contact's current public profile and my remark.
   * @example
   * const contacts = await client.contacts.list();
   * const names = contacts.map((c) => c.remark || c.profile.nickname);
   */
  async list(): Promise<Contact[]> {
    return (await this.call('contacts.list', {})).contacts;
  }

  /**
   * Add a user to my contacts. Adding one already there changes nothing but the remark, if given.
   * @example
   * const alice = await client.users.lookupByPhone('13800138000');
   * await client.contacts.add(alice.id, '产品部 Alice');
   */
  add(userId: string, remark?: string): Promise<Contact> {
    return this.call('contacts.add', remark === undefined ? { userId } : { userId, remark });
  }

  /**
   * Remove a user from my contacts (our conversations stay).
   * @example
   * await client.contacts.remove(userId);
   */
  async remove(userId: string): Promise<void> {
    await this.call('contacts.remove', { userId });
  }

  /**
   * Set my remark for a contact; an empty remark shows the contact's own nickname again.
   * @example
   * await client.contacts.setRemark(userId, '王经理');
   */
  setRemark(userId: string, remark: string): Promise<Contact> {
    return this.call('contacts.setRemark', { userId, remark });
  }
}
