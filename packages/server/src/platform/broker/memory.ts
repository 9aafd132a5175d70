import { subjectMatches, type Broker, type Subscription } from './broker.ts';

interface Entry {
  pattern: string;
  handler: (payload: unknown, subject: string) => void;
}

/**
 * The in-process broker of a single-node install. Payloads go through JSON like on the wire, so
 * nothing can depend on sharing objects, and handlers run on a later microtask, as with NATS.
 */
export class MemoryBroker implements Broker {
  readonly kind = 'memory' as const;
  readonly connected = true;
  private readonly exact = new Map<string, Set<Entry>>();
  private readonly wild = new Set<Entry>();
  private closed = false;

  constructor(private readonly onError: (err: unknown, subject: string) => void = () => {}) {}

  publish(subject: string, payload: unknown): void {
    if (this.closed) return;
    const text = JSON.stringify(payload);
    const targets = [...(this.exact.get(subject) ?? [])];
    for (const e of this.wild) if (subjectMatches(e.pattern, subject)) targets.push(e);
    if (targets.length === 0) return;
    queueMicrotask(() => {
      for (const t of targets) {
        // A failing subscriber must not take the others (or the process) down, as with NATS.
        try {
          t.handler(JSON.parse(text), subject);
        } catch (err) {
          this.onError(err, subject);
        }
      }
    });
  }

  subscribe(pattern: string, handler: (payload: unknown, subject: string) => void): Subscription {
    const entry: Entry = { pattern, handler };
    const isWild = pattern.includes('*') || pattern.includes('>');
    if (isWild) this.wild.add(entry);
    else {
      let set = this.exact.get(pattern);
      if (!set) this.exact.set(pattern, (set = new Set()));
      set.add(entry);
    }
    return {
      unsubscribe: () => {
        if (isWild) this.wild.delete(entry);
        else this.exact.get(pattern)?.delete(entry);
      },
    };
  }

  async flush(): Promise<void> {
    await new Promise<void>((r) => setImmediate(r));
  }

  /** In-process: there is no connection to lose. */
  onReconnect(_listener: () => void): void {}

  async close(): Promise<void> {
    this.closed = true;
    this.exact.clear();
    this.wild.clear();
  }
}
