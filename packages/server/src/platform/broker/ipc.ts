import type { Logger } from '../logger.ts';
import { subjectMatches, type Broker, type Subscription } from './broker.ts';

/** Set to `1` by the cluster primary for workers that use the IpcBroker (no NATS configured). */
export const IPC_BROKER_ENV = 'ZX_IPC_BROKER';

/**
 * Messages between a cluster worker's IpcBroker and the primary's IpcRelay. Payloads travel as
 * JSON text (`data`), so the primary relays them without parsing and each handler gets its own copy.
 */
export type IpcToPrimary =
  | { zx: 'broker'; t: 'pub'; subject: string; data: string }
  | { zx: 'broker'; t: 'sub'; pattern: string }
  | { zx: 'broker'; t: 'unsub'; pattern: string }
  | { zx: 'broker'; t: 'flush'; id: number };
export type IpcToWorker =
  { zx: 'broker'; t: 'msg'; subject: string; data: string } | { zx: 'broker'; t: 'flushed'; id: number };

/** The worker's end of the IPC channel: `process` in a cluster worker, a fake pair in tests. */
export interface IpcChannel {
  send(message: IpcToPrimary, callback: (err: Error | null) => void): boolean;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  off(event: 'message', listener: (message: unknown) => void): unknown;
}

/** Whether an IPC message belongs to the broker (other messages share the channel). */
export function isBrokerMessage(m: unknown): m is { zx: 'broker'; t: string } {
  return (
    typeof m === 'object' &&
    m !== null &&
    (m as { zx?: unknown }).zx === 'broker' &&
    typeof (m as { t?: unknown }).t === 'string'
  );
}

interface Entry {
  pattern: string;
  handler: (payload: unknown, subject: string) => void;
}

const FLUSH_ON_CLOSE_MS = 2000;

/**
 * The broker of `zhixin start --workers N` without NATS: every publish goes to the cluster primary,
 * which relays it to each worker that subscribed to a matching subject (itself included); the worker
 * then runs its own matching handlers. Subscriptions are announced to the primary once per pattern.
 */
export class IpcBroker implements Broker {
  readonly kind = 'ipc' as const;
  /** The relay is the primary process: a worker cut off from it has no life of its own. */
  readonly connected = true;
  private readonly byPattern = new Map<string, Set<Entry>>();
  private readonly pendingFlushes = new Map<number, () => void>();
  private nextFlushId = 1;
  private closed = false;
  private readonly onMessage = (m: unknown) => this.receive(m);

  constructor(
    private readonly channel: IpcChannel,
    private readonly log?: Logger,
  ) {
    channel.on('message', this.onMessage);
  }

  /** The broker of a cluster worker, over the IPC channel to its primary. */
  static fromProcess(log?: Logger): IpcBroker {
    if (!process.send) throw new Error('IpcBroker needs an IPC channel to the cluster primary');
    return new IpcBroker(process as unknown as IpcChannel, log);
  }

  publish(subject: string, payload: unknown): void {
    if (this.closed) return;
    this.send({ zx: 'broker', t: 'pub', subject, data: JSON.stringify(payload) });
  }

  subscribe(pattern: string, handler: (payload: unknown, subject: string) => void): Subscription {
    const entry: Entry = { pattern, handler };
    let set = this.byPattern.get(pattern);
    if (!set) {
      this.byPattern.set(pattern, (set = new Set()));
      this.send({ zx: 'broker', t: 'sub', pattern });
    }
    set.add(entry);
    return {
      unsubscribe: () => {
        const s = this.byPattern.get(pattern);
        if (!s?.delete(entry) || s.size > 0) return;
        this.byPattern.delete(pattern);
        if (!this.closed) this.send({ zx: 'broker', t: 'unsub', pattern });
      },
    };
  }

  /** The IPC channel to the primary lives as long as this worker: it is never lost and found again. */
  onReconnect(): void {}

  /** A round trip through the primary: everything sent before has been relayed when it resolves. */
  flush(): Promise<void> {
    if (this.closed) return Promise.resolve();
    const id = this.nextFlushId++;
    return new Promise<void>((resolve) => {
      this.pendingFlushes.set(id, resolve);
      this.send({ zx: 'broker', t: 'flush', id });
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    // Like NATS drain: what was published before close still reaches the other workers.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.flush(), new Promise<void>((r) => (timer = setTimeout(r, FLUSH_ON_CLOSE_MS)))]);
    clearTimeout(timer);
    for (const pattern of this.byPattern.keys()) this.send({ zx: 'broker', t: 'unsub', pattern });
    this.closed = true;
    this.byPattern.clear();
    this.channel.off('message', this.onMessage);
    for (const resolve of this.pendingFlushes.values()) resolve();
    this.pendingFlushes.clear();
  }

  private send(message: IpcToPrimary): void {
    try {
      this.channel.send(message, (err) => {
        // The primary is gone (the worker is about to exit): at-most-once, so drop it.
        if (err) this.failFlushes();
      });
    } catch {
      this.failFlushes();
    }
  }

  private failFlushes(): void {
    for (const resolve of this.pendingFlushes.values()) resolve();
    this.pendingFlushes.clear();
  }

  private receive(m: unknown): void {
    if (this.closed || !isBrokerMessage(m)) return;
    const msg = m as IpcToWorker;
    if (msg.t === 'flushed') {
      this.pendingFlushes.get(msg.id)?.();
      this.pendingFlushes.delete(msg.id);
      return;
    }
    if (msg.t !== 'msg' || typeof msg.subject !== 'string' || typeof msg.data !== 'string') return;
    for (const [pattern, entries] of this.byPattern) {
      if (!subjectMatches(pattern, msg.subject)) continue;
      for (const e of [...entries]) {
        try {
          e.handler(JSON.parse(msg.data), msg.subject);
        } catch (err) {
          // One failing handler must not stop the others, nor crash the worker.
          this.log?.error({ err, subject: msg.subject }, 'broker handler failed');
        }
      }
    }
  }
}
