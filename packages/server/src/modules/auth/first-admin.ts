import { isAppError } from '../../errors.ts';
import type { Logger } from '../../platform/logger.ts';
import type { UsersService } from '../users/index.ts';
import type { AuthService } from './auth.service.ts';

export const DEFAULT_ADMIN_PHONE = '+8613800000000';

export interface FirstAdminOptions {
  /** Where ZX_ADMIN_PHONE is read; process.env by default. */
  env?: NodeJS.ProcessEnv;
  /** Where the credentials are printed; stdout by default. */
  print?: (text: string) => void;
}

export type FirstAdminResult = { created: false } | { created: true; userId: string; phone: string };

/**
 * On a fresh install (no administrator yet) create one: phone from ZX_ADMIN_PHONE (default
 * +8613800000000), nickname 管理员, a generated password. The credentials are printed once to
 * stdout and never written to the JSON log.
 */
export async function ensureFirstAdmin(
  services: { auth: AuthService; users: UsersService },
  log: Logger,
  opts: FirstAdminOptions = {},
): Promise<FirstAdminResult> {
  if (await services.users.hasAdmin()) return { created: false };
  const phone = (opts.env ?? process.env).ZX_ADMIN_PHONE || DEFAULT_ADMIN_PHONE;
  let admin;
  try {
    admin = await services.auth.createAdmin({ phone });
  } catch (err) {
    if (!isAppError(err)) throw err;
    // Another node of the cluster may have just created it; or the phone belongs to a normal user.
    if (await services.users.hasAdmin()) return { created: false };
    log.error(
      { code: err.code, details: err.details },
      'could not create the first administrator from ZX_ADMIN_PHONE; use `zhixin admin create`',
    );
    return { created: false };
  }
  const print = opts.print ?? ((text: string) => process.stdout.write(text));
  print(
    [
      '',
      '================ Zhixin first administrator ================',
      `  phone:    ${admin.phone}`,
      `  password: ${admin.password}`,
      '  Shown only this once: log in and change it now.',
      '=============================================================',
      '',
    ].join('\n'),
  );
  log.warn({ userId: admin.userId }, 'created the first administrator (credentials printed to stdout)');
  return { created: true, userId: admin.userId, phone: admin.phone };
}
