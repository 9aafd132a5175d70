import { ZhixinError } from '../errors.ts';
import type { TimerHandle, Timers } from '../platform/timers.ts';

interface Pending {
  resolve(body: unknown): void;
  reject(err: ZhixinError): void;
  timer: TimerHandle;
}

/** Requests in flight on a socket, by id, each with its own timeout. */
export class PendingRequests {
  private readonly pending = new Map<string, Pending>();
  private nextId = 0;

  constructor(private readonly timers: Timers) {}

  /** Register a request; its promise settles by `settle`, `failAll` or the timeout (`TIMEOUT`). */
  add(what: string, timeoutMs: number): { id: string; response: Promise<unknown> } {
    const id = String(++this.nextId);
    const response = new Promise<unknown>((resolve, reject) => {
      const timer = this.timers.setTimeout(() => {
        this.pending.delete(id);
        reject(ZhixinError.timeout(what, timeoutMs));
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
    });
    return { id, response };
  }

  /** Answer a request; unknown ids (late answers to timed-out requests) are ignored. */
  settle(id: string, body: unknown, error?: ZhixinError): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    this.timers.clearTimeout(p.timer);
    if (error) p.reject(error);
    else p.resolve(body);
  }

  failAll(error: ZhixinError): void {
    for (const id of [...this.pending.keys()]) this.settle(id, undefined, error);
  }

  get size(): number {
    return this.pending.size;
  }
}
