import type { ModuleDeps } from '../deps.ts';
import type { UsersService } from '../users/index.ts';
import { ContactsRepo } from './contacts.repo.ts';
import { registerContactsRoutes } from './contacts.routes.ts';
import { createContactsService, type ContactsService } from './contacts.service.ts';

export type { ContactsService, LinkSide } from './contacts.service.ts';

/** The contacts module: each user's personal contact list with private remarks. */
export function createContactsModule(deps: ModuleDeps & { users: UsersService }): ContactsService {
  const contacts = createContactsService({
    repo: new ContactsRepo(deps.platform.db, deps.platform.keyring),
    users: deps.users,
    events: deps.events,
  });
  registerContactsRoutes(deps.ops, contacts);
  return contacts;
}
