import { CloseReason } from '@zhixin/protocol';
import { describe, expect, it } from 'vitest';
import { ZhixinError } from '../errors.ts';
import { afterLoss } from './loss.ts';

const network = ZhixinError.closed('code 1006');

describe('what follows a lost link', () => {
  it('ends for good, with the login lost, when the session was revoked', () => {
    const next = afterLoss({ reason: CloseReason.SessionRevoked, error: network }, true);
    expect(next).toMatchObject({ kind: 'fail', authLost: true, error: { code: 'SESSION_REVOKED' } });
  });

  it('ends for good, login kept, when the server no longer speaks our protocol', () => {
    const next = afterLoss({ reason: CloseReason.ClientTooOld, error: network }, true);
    expect(next).toMatchObject({ kind: 'fail', authLost: false, error: { code: 'UNSUPPORTED_PROTOCOL' } });
  });

  it('refreshes the token once when it was refused, keeping the server error', () => {
    const refused = new ZhixinError('TOKEN_EXPIRED', 'expired', { status: 401 });
    expect(afterLoss({ error: refused }, true)).toEqual({ kind: 'refresh', error: refused });
    expect(afterLoss({ reason: CloseReason.Unauthenticated, error: network }, false)).toMatchObject({
      kind: 'refresh',
      error: { code: 'UNAUTHENTICATED' },
    });
  });

  it('retries a dropped link that was up, and fails fast one that never came up', () => {
    expect(afterLoss({ reason: CloseReason.HeartbeatTimeout, error: network }, true)).toEqual({
      kind: 'reconnect',
      error: network,
      reason: CloseReason.HeartbeatTimeout,
    });
    expect(afterLoss({ error: network }, false)).toEqual({ kind: 'fail', error: network, authLost: false });
  });
});
