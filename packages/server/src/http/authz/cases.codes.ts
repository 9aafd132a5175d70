import { mustCall, testDevice } from '../../testing/factories.ts';
import { ANYONE, MEMBERS, OWNER, SIGNED_IN, type OpCase, type World } from './authz.types.ts';

/** A desktop's new quick-login attempt (its QR code, id and poll token). */
function startQuickLogin(w: World) {
  return mustCall(w.app, 'auth.quickLogin.start', { device: testDevice(undefined, 'desktop') });
}

/** Security codes: my user code, scans, directed transfers, and quick login by QR code. */
export const opCases: OpCase[] = [
  { op: 'codes.mine', allow: SIGNED_IN, rule: 'signed in: my own user code' },
  { op: 'codes.refreshMine', allow: SIGNED_IN, rule: 'signed in: my own user code' },
  {
    op: 'codes.resolve',
    allow: MEMBERS,
    rule: 'signed in; a transfer code into a conversation only for its members (the case proves this)',
    async prepare(w) {
      const transfer = await mustCall(
        w.app,
        'codes.createTransfer',
        { conversationId: w.group.id, message: '请看群公告' },
        w.users.owner.accessToken,
      );
      return { code: transfer.code };
    },
  },
  {
    op: 'codes.createTransfer',
    allow: MEMBERS,
    rule: 'signed in; into a conversation only for its members (the case proves this), to any user',
    prepare: (w) => ({ conversationId: w.group.id, message: '请看群公告' }),
  },
  {
    op: 'auth.quickLogin.start',
    allow: ANYONE,
    rule: 'anyone (a desktop before sign-in; limited per address)',
    prepare: () => ({ device: testDevice(undefined, 'desktop') }),
  },
  {
    op: 'auth.quickLogin.status',
    allow: ANYONE,
    rule: 'anyone holding the attempt’s id and poll token',
    async prepare(w) {
      const attempt = await startQuickLogin(w);
      return { attemptId: attempt.attemptId, pollToken: attempt.pollToken };
    },
  },
  {
    op: 'auth.quickLogin.scan',
    allow: SIGNED_IN,
    rule: 'signed in, holding a live code nobody else scanned',
    prepare: async (w) => ({ code: (await startQuickLogin(w)).code }),
  },
  {
    op: 'auth.quickLogin.confirm',
    allow: OWNER,
    rule: 'the user who scanned the code',
    async prepare(w) {
      const attempt = await startQuickLogin(w);
      await mustCall(w.app, 'auth.quickLogin.scan', { code: attempt.code }, w.users.owner.accessToken);
      return { attemptId: attempt.attemptId, allow: true };
    },
  },
];
