/**
 * The message broker between server processes: subjects are dot-separated tokens; a subscription
 * may end in `>` (any remaining tokens) or use `*` for one token, as in NATS. Payloads are JSON values.
 * Delivery is at-most-once and in order per publisher; durability lives in the database, not here.
 */
export interface Broker {
  readonly kind: 'memory' | 'nats' | 'ipc';
  /**
   * False while the link to the broker is down: nothing published reaches the others and nothing
   * of theirs arrives, so their silence then says nothing about them.
   */
  readonly connected: boolean;
  publish(subject: string, payload: unknown): void;
  subscribe(subject: string, handler: (payload: unknown, subject: string) => void): Subscription;
  /** Resolves once everything published so far has reached the broker. */
  flush(): Promise<void>;
  /**
   * Call `listener` each time the connection to the broker comes back after it was lost. What was
   * published to this process in between is gone (at-most-once): listeners fetch or announce again.
   */
  onReconnect(listener: () => void): void;
  close(): Promise<void>;
}

export interface Subscription {
  unsubscribe(): void;
}

/** Whether a NATS-style subject pattern matches a subject. */
export function subjectMatches(pattern: string, subject: string): boolean {
  const p = pattern.split('.');
  const s = subject.split('.');
  for (let i = 0; i < p.length; i++) {
    if (p[i] === '>') return s.length > i;
    if (i >= s.length) return false;
    if (p[i] !== '*' && p[i] !== s[i]) return false;
  }
  return p.length === s.length;
}
