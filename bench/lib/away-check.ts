/**
 * Whether the recipient of a message sent while it was away finds it the way a reconnecting client
 * does (changed conversations since its cursor, then the gap), and if not, why: a benchmark that only
 * counts "lost" cannot tell a server that dropped an acknowledged message from a check that asked wrong.
 */
import { RestError, type RestFrom } from './rest-from.ts';

/** A message sent to `token`'s user while it was away; `seq` is null when the send was not acked. */
export interface AwayProbe {
  token: string;
  conversationId: string;
  clientId: string;
  seq: number | null;
}

/**
 * `fetched`, or why not: `notInChangedList` (the conversation is missing from the list since the
 * cursor), `lastSeqBehind` (listed with a lastSeq below the message), `absentFromPage` (the gap page
 * lacks it), `<step> HTTP <status> <code>` for an error answer, `<step> <error name/code>` when the
 * request itself failed.
 */
export type AwayOutcome = string;

/** Name a failed request by its HTTP answer, or by the error that kept it from having one. */
function describeFailure(step: string, err: unknown): AwayOutcome {
  if (err instanceof RestError) return `${step} HTTP ${err.status} ${err.code}`;
  if (err instanceof Error) {
    // node:http puts the socket error's code on the error, fetch on its cause.
    const code = (err as { code?: unknown }).code ?? (err.cause as { code?: unknown } | undefined)?.code;
    return `${step} ${err.name}${code === undefined ? '' : ` ${String(code)}`}`;
  }
  return `${step} ${String(err)}`;
}

/** Check one away message; never throws. */
export async function checkAwayMessage(rest: RestFrom, m: AwayProbe, since: number): Promise<AwayOutcome> {
  if (m.seq === null) return 'notAcked';
  let list: { conversations: Array<{ id: string; lastSeq: number }> };
  try {
    list = await rest.call(m.token, 'GET', `/conversations?since=${since}`);
  } catch (err) {
    return describeFailure('list', err);
  }
  const conv = list.conversations.find((c) => c.id === m.conversationId);
  if (!conv) return 'notInChangedList';
  if (conv.lastSeq < m.seq) return 'lastSeqBehind';
  let page: { messages: Array<{ seq: number; clientId: string }> };
  try {
    page = await rest.call(
      m.token,
      'GET',
      `/conversations/${m.conversationId}/messages?afterSeq=${m.seq - 1}&limit=10`,
    );
  } catch (err) {
    return describeFailure('gap', err);
  }
  return page.messages.some((x) => x.seq === m.seq && x.clientId === m.clientId)
    ? 'fetched'
    : 'absentFromPage';
}

/** Count outcomes by reason, most frequent first. */
export function countOutcomes(outcomes: readonly AwayOutcome[]): Record<AwayOutcome, number> {
  const counts = new Map<AwayOutcome, number>();
  for (const o of outcomes) counts.set(o, (counts.get(o) ?? 0) + 1);
  return Object.fromEntries([...counts].sort((a, b) => b[1] - a[1]));
}
