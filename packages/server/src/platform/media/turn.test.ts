import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { iceServersFor, turnCredential } from './turn.ts';
import { coturnInstalled, relayThroughTurn, startTestTurn } from './turn.testing.ts';

const config = (secret: string) => ({
  stun: [],
  turn: { urls: ['turn:127.0.0.1:3478?transport=udp'], secret, ttlSeconds: 600 },
});

describe('TURN credentials', () => {
  it('follows coturn’s REST scheme and leaves TURN out without a secret', () => {
    const ice = iceServersFor(config('s3cret'), 'u1', 1_000_000);
    expect(ice.expiresAt).toBe(1_600_000);
    expect(ice.iceServers).toEqual([
      { urls: ['turn:127.0.0.1:3478?transport=udp'], ...turnCredential('s3cret', 'u1', 1600) },
    ]);
    expect(ice.iceServers[0]!.username).toBe('1600:u1');
    expect(
      iceServersFor({ stun: ['stun:a'], turn: { urls: ['turn:b'], secret: '', ttlSeconds: 60 } }, 'u1')
        .iceServers,
    ).toEqual([{ urls: ['stun:a'] }]);
  });
});

describe.runIf(coturnInstalled())('TURN credentials on a real coturn', () => {
  let turn: Awaited<ReturnType<typeof startTestTurn>>;
  beforeAll(async () => {
    turn = await startTestTurn('s3cret');
  });
  afterAll(async () => {
    await turn.stop();
  });

  it('relays with the credentials we issue, and refuses expired or foreign ones', () => {
    const [server] = iceServersFor(config('s3cret'), 'alice').iceServers;
    const ok = relayThroughTurn(turn.port, server!.username!, server!.credential!);
    expect(ok).toContain('Total lost packets 0');
    expect(ok).not.toContain('Cannot complete Allocation');

    const expired = turnCredential('s3cret', 'alice', Math.floor(Date.now() / 1000) - 60);
    expect(relayThroughTurn(turn.port, expired.username, expired.credential)).toContain(
      'Cannot complete Allocation',
    );
    const [foreign] = iceServersFor(config('another-secret'), 'alice').iceServers;
    expect(relayThroughTurn(turn.port, foreign!.username!, foreign!.credential!)).toContain(
      'Cannot complete Allocation',
    );
  }, 90_000);
});
