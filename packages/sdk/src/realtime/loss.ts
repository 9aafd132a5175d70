import { CloseReason } from '@zhixin/protocol';
import { ZhixinError } from '../errors.ts';

/** Why a link went: the server's close reason (bye or close frame), and the error it amounts to. */
export interface Loss {
  reason?: string;
  error: ZhixinError;
}

/** What the connection does after a loss. */
export type AfterLoss =
  /** Stop for good; `authLost` also tells the app its login is gone. */
  | { kind: 'fail'; error: ZhixinError; authLost: boolean }
  /** Refresh the token once and try again at once. */
  | { kind: 'refresh'; error: ZhixinError }
  /** Try again after the reconnect policy's delay. */
  | { kind: 'reconnect'; error: ZhixinError; reason?: string };

/**
 * Decides what follows a lost link: a revoked session and a server that no longer speaks our
 * protocol end it for good, a refused token gets one refresh, and anything else is retried, unless
 * the link never came up (then `connect()` fails fast instead of retrying a wrong URL forever).
 */
export function afterLoss({ reason, error }: Loss, everConnected: boolean): AfterLoss {
  if (reason === CloseReason.SessionRevoked || error.code === 'SESSION_REVOKED') {
    return {
      kind: 'fail',
      error: new ZhixinError('SESSION_REVOKED', 'this device has been logged out', { status: 401 }),
      authLost: true,
    };
  }
  if (reason === CloseReason.ClientTooOld || error.code === 'UNSUPPORTED_PROTOCOL') {
    return {
      kind: 'fail',
      error: new ZhixinError('UNSUPPORTED_PROTOCOL', 'the server no longer supports this SDK version', {
        status: 400,
      }),
      authLost: false,
    };
  }
  if (reason === CloseReason.Unauthenticated || error.isAuthError()) {
    return {
      kind: 'refresh',
      error: error.isAuthError() ? error : new ZhixinError('UNAUTHENTICATED', 'authentication refused'),
    };
  }
  if (!everConnected) return { kind: 'fail', error, authLost: false };
  return reason === undefined ? { kind: 'reconnect', error } : { kind: 'reconnect', error, reason };
}
