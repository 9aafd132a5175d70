import type { App } from '../../app.ts';
import { mustCall } from '../../testing/factories.ts';

export { adminUser } from '../../testing/factories.ts';

/** The operations account's user id, as any user's `opsAccount.info` says. */
export async function opsUserId(app: App, token: string): Promise<string> {
  return (await mustCall(app, 'opsAccount.info', {}, token)).userId;
}

/**
 * `n` users written straight through the users service (no SMS, no password hashing): fast enough
 * for broadcast tests with thousands of recipients. They cannot log in; they only receive.
 */
export async function seedQuietUsers(app: App, n: number, prefix = 0): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const phone = `+86137${String(prefix * 100_000 + i).padStart(8, '0')}`;
    const account = await app.services.users.createAccount({
      phone,
      passwordHash: '!seeded',
      nickname: `收件人${i}`,
      role: 'user',
    });
    ids.push(account.id);
  }
  return ids;
}
