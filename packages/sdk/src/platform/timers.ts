/** An opaque timer handle (a number in browsers, an object in Node). */
export type TimerHandle = unknown;

/** The clock and timers the SDK uses; replace them in tests or special runtimes. */
export interface Timers {
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
  setInterval(fn: () => void, ms: number): TimerHandle;
  clearInterval(handle: TimerHandle): void;
  /** Milliseconds since the epoch. */
  now(): number;
}

type Handle = ReturnType<typeof globalThis.setTimeout>;

/** The runtime's own timers. */
export const systemTimers: Timers = {
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (h) => globalThis.clearTimeout(h as Handle),
  setInterval: (fn, ms) => globalThis.setInterval(fn, ms),
  clearInterval: (h) => globalThis.clearInterval(h as Handle),
  now: () => Date.now(),
};

/** Resolve after `ms` on the given timers. */
export function sleep(timers: Timers, ms: number): Promise<void> {
  return new Promise((resolve) => timers.setTimeout(resolve, ms));
}
