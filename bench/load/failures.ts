/** Why connections fail, by kind (types.ts FailureCounts): a limit of the machine is named. */
import type { FailureCounts } from './types.ts';

export type FailureKind = Exclude<keyof FailureCounts, 'samples'>;

export function emptyFailures(): FailureCounts {
  return {
    fileLimit: 0,
    portsExhausted: 0,
    refused: 0,
    upgradeRejected: 0,
    authRejected: 0,
    dropped: 0,
    other: 0,
    samples: [],
  };
}

/** The kind of a socket error code, or null when it is none of the named ones. */
export function errorKind(code: string | undefined): FailureKind | null {
  switch (code) {
    case 'EMFILE':
    case 'ENFILE':
      return 'fileLimit';
    case 'EADDRNOTAVAIL':
    case 'EADDRINUSE':
      return 'portsExhausted';
    case 'ECONNREFUSED':
    case 'ECONNRESET':
    case 'ETIMEDOUT':
    case 'EPIPE':
      return 'refused';
    default:
      return null;
  }
}

/**
 * Keep `message` (`<kind>: <detail>`) as a sample unless `perKind` of its kind or `max` in all are
 * kept: a burst of one kind (auth timeouts early in a ramp) must not hide the first drops.
 */
export function addSample(samples: string[], message: string, perKind = 3, max = 24): void {
  if (samples.length >= max) return;
  const kind = message.slice(0, message.indexOf(':') + 1);
  if (kind && samples.filter((s) => s.startsWith(kind)).length >= perKind) return;
  samples.push(message);
}

/** `refused=3 dropped=1`, or `no failures`. */
export function failureLine(f: FailureCounts): string {
  const parts = (Object.keys(f) as Array<keyof FailureCounts>)
    .filter((k) => k !== 'samples' && f[k] !== 0)
    .map((k) => `${k}=${String(f[k])}`);
  return parts.length === 0 ? 'no failures' : parts.join(' ');
}
