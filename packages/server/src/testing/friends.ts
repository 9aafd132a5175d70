import type { Contact } from '@zhixin/protocol';
import type { App } from '../app.ts';
import { mustCall, type TestUser } from './factories.ts';

/**
 * Make two users friends the way clients do: `a` sends a request, `b` accepts it (unless `b`
 * lets anyone add them). Returns `b`'s new contact entry for `a` when `b` accepted.
 */
export async function befriend(
  app: App,
  a: TestUser,
  b: TestUser,
  opts: { remarkByA?: string; remarkByB?: string } = {},
): Promise<Contact | null> {
  const sent = await mustCall(
    app,
    'friends.request',
    { userId: b.userId, message: 'hi', ...(opts.remarkByA ? { remark: opts.remarkByA } : {}) },
    a.accessToken,
  );
  if (sent.outcome === 'friends') return null;
  if (!sent.request) throw new Error('friends.request returned neither a request nor a contact');
  return mustCall(
    app,
    'friends.accept',
    { requestId: sent.request.id, ...(opts.remarkByB ? { remark: opts.remarkByB } : {}) },
    b.accessToken,
  );
}
