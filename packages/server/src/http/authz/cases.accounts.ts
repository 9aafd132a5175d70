import { randomToken } from '../../platform/ids.ts';
import {
  lastSmsCode,
  loginUser,
  mustCall,
  randomPhone,
  registerUser,
  testDevice,
  type TestUser,
} from '../../testing/factories.ts';
import { ADMINS, ANYONE, OWNER, SIGNED_IN, type OpCase, type World } from './authz.types.ts';

const accounts = new WeakMap<World, Promise<TestUser>>();

/** A user none of the caller kinds is, whose password logins and refreshes cases try; one per world. */
function loginAccountOf(w: World): Promise<TestUser> {
  let account = accounts.get(w);
  if (!account) {
    account = registerUser(w.app);
    accounts.set(w, account);
  }
  return account;
}

/**
 * A fresh user with a fresh SMS code of `purpose`: codes are resent no sooner than a minute per
 * phone, so every attempt needs its own phone.
 */
async function userWithSmsCode(w: World, purpose: 'login' | 'reset_password'): Promise<[TestUser, string]> {
  const user = await registerUser(w.app);
  await mustCall(w.app, 'auth.sendSmsCode', { phone: user.phone, purpose });
  return [user, lastSmsCode(w.app, user.phone, purpose)];
}

/** Sign-up, sign-in, sessions, devices and profiles. */
export const opCases: OpCase[] = [
  {
    op: 'auth.sendSmsCode',
    allow: ANYONE,
    rule: 'anyone (limited per address and per phone)',
    prepare: () => ({ phone: randomPhone(), purpose: 'register' }),
  },
  {
    op: 'auth.register',
    allow: ANYONE,
    rule: 'anyone holding an SMS code sent to the phone',
    async prepare(w) {
      const phone = randomPhone();
      await mustCall(w.app, 'auth.sendSmsCode', { phone, purpose: 'register' });
      return {
        phone,
        code: lastSmsCode(w.app, phone, 'register'),
        password: `pw-${randomToken(9)}`,
        nickname: '新同事',
        device: testDevice(),
      };
    },
  },
  {
    op: 'auth.loginPassword',
    allow: ANYONE,
    rule: 'anyone with the phone and password of an active account',
    async prepare(w) {
      const account = await loginAccountOf(w);
      return { phone: account.phone, password: account.password, device: testDevice() };
    },
  },
  {
    op: 'auth.loginSms',
    allow: ANYONE,
    rule: 'anyone holding a login SMS code sent to the phone of an active account',
    async prepare(w) {
      const [user, code] = await userWithSmsCode(w, 'login');
      return { phone: user.phone, code, device: testDevice() };
    },
  },
  {
    op: 'auth.resetPassword',
    allow: ANYONE,
    rule: 'anyone holding a reset SMS code sent to the phone of an active account',
    async prepare(w) {
      const [user, code] = await userWithSmsCode(w, 'reset_password');
      return { phone: user.phone, code, password: `pw-${randomToken(9)}` };
    },
  },
  {
    op: 'auth.refresh',
    allow: ANYONE,
    rule: 'anyone holding a live refresh token (it rotates: each works once)',
    async prepare(w) {
      const account = await loginAccountOf(w);
      const session = await loginUser(w.app, account.phone, account.password);
      return { refreshToken: session.refreshToken };
    },
  },
  {
    op: 'auth.logout',
    allow: SIGNED_IN,
    rule: 'signed in: ends the calling session',
    freshSession: true,
  },
  {
    op: 'auth.changePassword',
    allow: SIGNED_IN,
    rule: 'signed in, knowing the current password',
    // The same password again: the world's users keep theirs (their other sessions end, none is used).
    prepare: (w, caller) => {
      const password = caller === 'anonymous' ? 'not-signed-in' : w.users[caller].password;
      return { oldPassword: password, newPassword: password };
    },
  },
  { op: 'auth.devices', allow: SIGNED_IN, rule: 'signed in: my own sessions' },
  {
    op: 'auth.revokeDevice',
    allow: OWNER,
    rule: 'the session’s user (anyone else: not found)',
    async prepare(w) {
      const owner = w.users.owner;
      const other = await loginUser(w.app, owner.phone, owner.password);
      return { sessionId: other.sessionId };
    },
  },
  { op: 'users.me', allow: SIGNED_IN, rule: 'signed in: my own profile' },
  {
    op: 'users.updateMe',
    allow: SIGNED_IN,
    rule: 'signed in: my own profile',
    prepare: () => ({ signature: '授权测试' }),
  },
  {
    op: 'users.profiles',
    allow: SIGNED_IN,
    rule: 'signed in: public profiles of anyone in the organisation',
    prepare: (w) => ({ ids: `${w.users.owner.userId},${w.users.member.userId}` }),
  },
  {
    op: 'users.lookupByPhone',
    allow: ADMINS,
    rule: 'administrators (users search with friends.search, which honours privacy)',
    prepare: (w) => ({ phone: w.users.owner.phone }),
  },
];
