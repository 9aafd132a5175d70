import type { Call } from '@zhixin/protocol';
import type { Kysely, Selectable } from 'kysely';
import { writeTransaction, type DB, type Dialect } from '../../platform/db/index.ts';

type CallRow = Selectable<DB['calls']>;

function callOf(row: CallRow): Call {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    callerId: row.caller_id,
    calleeId: row.callee_id,
    media: row.media,
    state: row.state,
    callerSessionId: row.caller_session_id,
    calleeSessionId: row.callee_session_id,
    createdAt: Number(row.created_at),
    answeredAt: row.answered_at === null ? null : Number(row.answered_at),
    endedAt: row.ended_at === null ? null : Number(row.ended_at),
    outcome: row.outcome,
    ringUntil: Number(row.ring_until),
  };
}

function rowOf(call: Call): CallRow {
  return {
    id: call.id,
    conversation_id: call.conversationId,
    caller_id: call.callerId,
    callee_id: call.calleeId,
    media: call.media,
    state: call.state,
    caller_session_id: call.callerSessionId,
    callee_session_id: call.calleeSessionId,
    created_at: call.createdAt,
    answered_at: call.answeredAt,
    ended_at: call.endedAt,
    outcome: call.outcome,
    ring_until: call.ringUntil,
  };
}

export type StartOutcome = 'ringing' | 'callerBusy' | 'calleeBusy';

/** Calls and the per-user call lines (the busy check). */
export class CallsRepo {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly dialect: Dialect,
  ) {}

  /**
   * Take a line for the caller and the callee and store the call, in one transaction. A user with
   * a line is busy: the caller's busy line stores nothing; the callee's stores the call as ended
   * (outcome `busy`, which the caller passes in `busyCall`).
   */
  start(call: Call, busyCall: Call): Promise<StartOutcome> {
    return writeTransaction(this.db, this.dialect, async (trx) => {
      const users = [call.callerId, call.calleeId];
      // Lines left by calls that ended without releasing them (a crash) do not count.
      await trx
        .deleteFrom('call_lines')
        .where('user_id', 'in', users)
        .where('call_id', 'in', trx.selectFrom('calls').select('id').where('state', '=', 'ended'))
        .execute();
      const take = (userId: string) =>
        trx
          .insertInto('call_lines')
          .values({ user_id: userId, call_id: call.id })
          .onConflict((oc) => oc.column('user_id').doNothing())
          .executeTakeFirst()
          .then((r) => Number(r.numInsertedOrUpdatedRows ?? 0) === 1);
      if (!(await take(call.callerId))) return 'callerBusy';
      if (!(await take(call.calleeId))) {
        await trx.deleteFrom('call_lines').where('user_id', '=', call.callerId).execute();
        await trx.insertInto('calls').values(rowOf(busyCall)).execute();
        return 'calleeBusy';
      }
      await trx.insertInto('calls').values(rowOf(call)).execute();
      return 'ringing';
    });
  }

  async get(id: string): Promise<Call | null> {
    const row = await this.db.selectFrom('calls').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? callOf(row) : null;
  }

  /**
   * Store a transition only if the call is still in the state it was read in (another device or
   * node may have moved it meanwhile); an ended call releases both lines. Returns whether it won.
   */
  apply(before: Call, after: Call): Promise<boolean> {
    return writeTransaction(this.db, this.dialect, async (trx) => {
      const res = await trx
        .updateTable('calls')
        .set({
          media: after.media,
          state: after.state,
          callee_session_id: after.calleeSessionId,
          answered_at: after.answeredAt,
          ended_at: after.endedAt,
          outcome: after.outcome,
        })
        .where('id', '=', before.id)
        .where('state', '=', before.state)
        .where('media', '=', before.media)
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) !== 1) return false;
      if (after.state === 'ended')
        await trx.deleteFrom('call_lines').where('call_id', '=', after.id).execute();
      return true;
    });
  }

  /** The call a user is in or is being rung for. */
  async current(userId: string): Promise<Call | null> {
    const row = await this.db
      .selectFrom('call_lines')
      .innerJoin('calls', 'calls.id', 'call_lines.call_id')
      .selectAll('calls')
      .where('call_lines.user_id', '=', userId)
      .where('calls.state', '!=', 'ended')
      .executeTakeFirst();
    return row ? callOf(row) : null;
  }

  /** Ringing calls whose time is up. */
  async overdue(now: number, limit = 500): Promise<Call[]> {
    const rows = await this.db
      .selectFrom('calls')
      .selectAll()
      .where('state', '=', 'ringing')
      .where('ring_until', '<=', now)
      .limit(limit)
      .execute();
    return rows.map(callOf);
  }
}
