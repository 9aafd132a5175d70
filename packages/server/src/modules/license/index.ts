import { ConfigError, type Config } from '../../config.ts';
import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/index.ts';
import type { ModuleDeps } from '../deps.ts';
import type { UsersService } from '../users/index.ts';
import { parsePublicKey } from './license.codec.ts';
import { LicenseRepo } from './license.repo.ts';
import { registerLicenseRoutes } from './license.routes.ts';
import { createLicenseService, type LicenseService } from './license.service.ts';

export type { LicenseService } from './license.service.ts';
export {
  LICENSE_FORMAT,
  newPayload,
  parsePublicKey,
  publicKeyText,
  readPayloadUnverified,
  signLicense,
  verifyLicense,
} from './license.codec.ts';

/** The license service over a database (the server, and `zhixin license install|show`). */
export function licenseServiceFor(
  db: Kysely<DB>,
  config: Config['license'],
  users: Pick<UsersService, 'countActive'>,
): LicenseService {
  return createLicenseService({
    repo: new LicenseRepo(db),
    publicKeys: config.publicKeys.map((text, i) => {
      try {
        return parsePublicKey(text);
      } catch (err) {
        throw new ConfigError(`license.publicKeys[${i}]`, (err as Error).message);
      }
    }),
    evaluationMaxUsers: config.maxUsers,
    countUsed: () => users.countActive(),
  });
}

/** The license module (R-C2): the signed license file, the seat cap, license.get and license.install. */
export function createLicenseModule(deps: ModuleDeps & { users: UsersService }): LicenseService {
  const license = licenseServiceFor(deps.platform.db, deps.platform.config.license, deps.users);
  registerLicenseRoutes(deps.ops, license);
  return license;
}
