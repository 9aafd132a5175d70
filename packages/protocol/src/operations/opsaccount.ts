import * as O from '../opsaccount.ts';
import { op } from './op.ts';

/** The operations account (运营号): users' official chat, operator sends and the feedback inbox. */
export const OpsAccountOperations = {
  'opsAccount.info': op({
    method: 'GET',
    path: '/ops-account',
    request: O.OpsInfoQuery,
    response: O.OpsAccountInfo,
    access: 'user',
    ws: true,
    summary: 'The operations account and my chat with it (created on first use)',
    tag: 'opsAccount',
  }),
  'opsAccount.send': op({
    method: 'POST',
    path: '/ops-account/broadcasts',
    request: O.OpsSendBody,
    response: O.Broadcast,
    access: 'admin',
    ws: true,
    summary: 'Send as the operations account to one user, a department or everyone (in the background)',
    tag: 'opsAccount',
  }),
  'opsAccount.broadcasts': op({
    method: 'GET',
    path: '/ops-account/broadcasts',
    request: O.BroadcastListQuery,
    response: O.BroadcastList,
    access: 'admin',
    ws: true,
    summary: 'Sends of the operations account, newest first, with delivery progress',
    tag: 'opsAccount',
  }),
  'opsAccount.feedback': op({
    method: 'GET',
    path: '/ops-account/feedback',
    request: O.FeedbackQuery,
    response: O.FeedbackList,
    access: 'admin',
    ws: true,
    summary: 'The feedback inbox: users who wrote to the operations account, latest first',
    tag: 'opsAccount',
  }),
  'opsAccount.reply': op({
    method: 'POST',
    path: '/ops-account/feedback/reply',
    request: O.FeedbackReplyBody,
    response: O.FeedbackItem,
    access: 'admin',
    ws: true,
    summary: "Answer in a user's chat with the operations account and mark the feedback answered",
    tag: 'opsAccount',
  }),
} as const;
