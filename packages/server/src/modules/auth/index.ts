// PLACEHOLDER: the accounts helper replaces this file.
import type { Authenticator } from '../../http/principal.ts';
import type { SmsProvider } from '../../platform/sms/index.ts';
import type { ModuleDeps } from '../deps.ts';
import type { UsersService } from '../users/index.ts';

export type AuthService = Authenticator;

export function createAuthModule(_deps: ModuleDeps & { users: UsersService; sms: SmsProvider }): AuthService {
  return {
    verifyAccessToken: async () => {
      throw new Error('placeholder');
    },
  };
}
