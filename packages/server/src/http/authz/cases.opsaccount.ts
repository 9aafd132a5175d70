import { callOp, mustCall } from '../../testing/factories.ts';
import { ADMINS, SIGNED_IN, type OpCase, type World } from './authz.types.ts';
import { perWorld } from './cases.admin.ts';
import { freshClientId } from './world.ts';

const ADMIN_RULE = 'administrators';

/** How long to wait for the operations account to file a user's message as feedback. */
const FEEDBACK_POLLS = 200;
const POLL_MS = 25;

/**
 * The world's stranger writes to the operations account once; the account files it as feedback (it
 * notices messages through an event tap, so it is in the inbox a moment later). Resolves to the
 * stranger's id once the thread is there.
 */
const feedbackFrom = perWorld(async (w: World): Promise<string> => {
  const writer = w.users.stranger;
  const chat = await mustCall(w.app, 'opsAccount.info', {}, writer.accessToken);
  await mustCall(
    w.app,
    'messages.send',
    {
      conversationId: chat.conversationId,
      clientId: freshClientId(),
      content: { kind: 'text', text: '求助' },
    },
    writer.accessToken,
  );
  for (let i = 0; i < FEEDBACK_POLLS; i++) {
    const thread = await callOp(
      w.app,
      'opsAccount.thread',
      { userId: writer.userId },
      w.users.admin.accessToken,
    );
    if (thread.status === 200) return writer.userId;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  throw new Error('the operations account never filed the feedback');
});

/** The operations account (operations/opsaccount.ts). */
export const opCases: OpCase[] = [
  { op: 'opsAccount.info', allow: SIGNED_IN, rule: 'any signed-in user (their own chat with the account)' },
  {
    op: 'opsAccount.send',
    allow: ADMINS,
    rule: ADMIN_RULE,
    prepare: (w) => ({ target: { userId: w.users.member.userId }, text: '系统通知：授权测试' }),
  },
  { op: 'opsAccount.broadcasts', allow: ADMINS, rule: ADMIN_RULE, prepare: () => ({ limit: 5 }) },
  { op: 'opsAccount.feedback', allow: ADMINS, rule: ADMIN_RULE, prepare: () => ({ limit: 5 }) },
  {
    op: 'opsAccount.thread',
    allow: ADMINS,
    rule: ADMIN_RULE,
    prepare: async (w) => ({ userId: await feedbackFrom(w), limit: 5 }),
  },
  {
    op: 'opsAccount.reply',
    allow: ADMINS,
    rule: ADMIN_RULE,
    prepare: async (w) => ({ userId: await feedbackFrom(w), text: '已收到' }),
  },
];
