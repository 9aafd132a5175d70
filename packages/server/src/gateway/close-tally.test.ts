import { CloseReason } from '@zhixin/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../platform/logger.ts';
import { CloseTally } from './close-tally.ts';

function capture() {
  const lines: Array<Record<string, unknown>> = [];
  const log = createLogger('warn', 'test', { write: (s: string) => void lines.push(JSON.parse(s)) });
  return { log, lines };
}

describe('CloseTally', () => {
  const tallies: CloseTally[] = [];
  afterEach(() => {
    for (const t of tallies.splice(0)) t.stop();
  });

  it('logs the silent and unauthenticated closes of a window in one warn line, then starts over', () => {
    let now = 1_000_000;
    const { log, lines } = capture();
    const tally = new CloseTally(log, 60_000, () => now);
    tallies.push(tally);
    for (let i = 0; i < 3; i++) tally.count(CloseReason.HeartbeatTimeout);
    tally.count(CloseReason.AuthTimeout);
    now += 60_000;
    tally.flush();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 40,
      closed: { heartbeat_timeout: 3, auth_timeout: 1 },
      seconds: 60,
    });
    now += 60_000;
    tally.flush();
    expect(lines).toHaveLength(1);
  });

  it('says nothing of routine closes', () => {
    const { log, lines } = capture();
    const tally = new CloseTally(log);
    tallies.push(tally);
    for (const reason of [CloseReason.ServerShutdown, CloseReason.SessionRevoked, CloseReason.ClientTooOld])
      tally.count(reason);
    tally.stop();
    expect(lines).toEqual([]);
  });

  it('logs the last window when stopped', () => {
    const { log, lines } = capture();
    const tally = new CloseTally(log);
    tally.count(CloseReason.HeartbeatTimeout);
    tally.stop();
    expect(lines).toHaveLength(1);
    expect(lines[0]?.closed).toEqual({ heartbeat_timeout: 1 });
  });
});
