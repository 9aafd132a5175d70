import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Call } from '@zhixin/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from '../../platform/broker/broker.contract.ts';
import { migrateToLatest, openDatabase, type Database } from '../../platform/db/index.ts';
import type { EventSink } from '../../platform/events.ts';
import { newId } from '../../platform/ids.ts';
import { createLogger } from '../../platform/logger.ts';
import { CallsRepo } from './calls.repo.ts';
import { createCallsService, type CallsService } from './calls.service.ts';

const SWEEP_MS = 20;

/** A call left ringing by a node that died before its ring timer fired. */
function orphan(now: number): Call {
  return {
    id: newId(),
    conversationId: newId(),
    callerId: newId(),
    calleeId: newId(),
    media: 'audio',
    state: 'ringing',
    callerSessionId: newId(),
    calleeSessionId: null,
    createdAt: now - 60_000,
    answeredAt: null,
    endedAt: null,
    outcome: null,
    ringUntil: now - 30_000,
  };
}

describe('the sweep of unanswered calls', () => {
  let database: Database | undefined;
  let service: CallsService | undefined;

  afterEach(async () => {
    service?.close();
    await database?.close();
  });

  it('runs only while this node leads the cluster, and ends an orphaned ringing call as missed', async () => {
    database = openDatabase({ url: join(mkdtempSync(join(tmpdir(), 'zx-calls-sweep-')), 'test.db') });
    await migrateToLatest(database);
    const repo = new CallsRepo(database.db, database.dialect);
    const told: string[] = [];
    const events: EventSink = {
      emit: (recipients) => void told.push(...recipients),
      emitToAll: () => {},
    };
    let leads = false;
    const posted: string[] = [];
    service = createCallsService({
      repo,
      events,
      log: createLogger('silent'),
      directPeers: () => Promise.reject(new Error('not used')),
      isBlocked: () => Promise.resolve(false),
      postSystem: (conversationId) => Promise.resolve(void posted.push(conversationId)),
      iceServers: () => ({ iceServers: [], expiresAt: 0 }),
      ringMs: 30_000,
      sweepsHere: () => leads,
      sweepMs: SWEEP_MS,
    });
    const call = orphan(Date.now());
    expect(await repo.start(call, { ...call, state: 'ended', outcome: 'busy' })).toBe('ringing');

    // Another node leads: this one leaves the call to it.
    await new Promise((r) => setTimeout(r, 10 * SWEEP_MS));
    expect((await repo.get(call.id))?.state).toBe('ringing');

    leads = true;
    // The call is stored as ended first; the record in the chat and the devices' event follow.
    await eventually(async () => {
      expect(await repo.get(call.id)).toMatchObject({ state: 'ended', outcome: 'missed' });
      expect(posted).toEqual([call.conversationId]);
      expect(told).toContain(call.callerId);
    });
  });
});
