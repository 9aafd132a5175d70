import { connect, Events, type NatsConnection, type Subscription as NatsSubscription } from 'nats';
import type { Logger } from '../logger.ts';
import type { Broker, Subscription } from './broker.ts';

export interface NatsBrokerOptions {
  /** Shown on the NATS server's monitoring pages. */
  name?: string;
  /**
   * Prepended to every subject on the wire (`<prefix>.<subject>`), so installations sharing one
   * NATS server never see each other's traffic. Handlers get the subject without it.
   */
  subjectPrefix?: string;
  log?: Logger;
}

const encoder = new TextEncoder();

/**
 * The broker of a cluster: core NATS with JSON payloads. Reconnects forever (a node without its
 * broker cannot route, but must come back by itself once NATS does); close() drains, so what was
 * published before close still goes out.
 */
export class NatsBroker implements Broker {
  readonly kind = 'nats' as const;
  /** Set by the connection's status events (watchStatus). */
  connected = true;
  private closing: Promise<void> | undefined;
  private readonly reconnectListeners: Array<() => void> = [];

  /** `<prefix>.`, or '' without a prefix. */
  private readonly prefix: string;

  private constructor(
    private readonly nc: NatsConnection,
    private readonly log: Logger | undefined,
    subjectPrefix: string,
  ) {
    this.prefix = subjectPrefix ? `${subjectPrefix}.` : '';
  }

  /** Connect to `url` (comma-separated for several servers); rejects when no server answers at boot. */
  static async connect(url: string, opts: NatsBrokerOptions = {}): Promise<NatsBroker> {
    const nc = await connect({
      servers: url
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
      name: opts.name ?? 'zhixin',
      maxReconnectAttempts: -1,
      reconnectTimeWait: 1000,
      reconnectJitter: 500,
      pingInterval: 20_000,
    });
    const broker = new NatsBroker(nc, opts.log, opts.subjectPrefix ?? '');
    void broker.watchStatus();
    return broker;
  }

  publish(subject: string, payload: unknown): void {
    if (this.closing) return;
    try {
      this.nc.publish(this.prefix + subject, encoder.encode(JSON.stringify(payload)));
    } catch (err) {
      // At-most-once: a publish on a connection that is closing is dropped, never thrown at the caller.
      this.log?.warn({ err, subject }, 'nats publish dropped');
    }
  }

  subscribe(subject: string, handler: (payload: unknown, subject: string) => void): Subscription {
    const sub: NatsSubscription = this.nc.subscribe(this.prefix + subject, {
      callback: (err, msg) => {
        if (err) {
          this.log?.warn({ err, subject }, 'nats subscription error');
          return;
        }
        let payload: unknown;
        try {
          payload = msg.json<unknown>();
        } catch (parseErr) {
          // The length only: payloads carry users' messages.
          this.log?.warn(
            { err: parseErr, subject: msg.subject, bytes: msg.data.length },
            'nats message is not JSON',
          );
          return;
        }
        try {
          handler(payload, msg.subject.slice(this.prefix.length));
        } catch (handlerErr) {
          // One failing handler must not take the subscription (or the process) down.
          this.log?.error({ err: handlerErr, subject: msg.subject }, 'broker handler failed');
        }
      },
    });
    return {
      unsubscribe: () => {
        if (!sub.isClosed()) sub.unsubscribe();
      },
    };
  }

  onReconnect(listener: () => void): void {
    this.reconnectListeners.push(listener);
  }

  async flush(): Promise<void> {
    if (this.closing || this.nc.isClosed()) return;
    await this.nc.flush();
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      if (this.nc.isClosed()) return;
      try {
        await this.nc.drain();
      } catch {
        await this.nc.close();
      }
    })();
    return this.closing;
  }

  private async watchStatus(): Promise<void> {
    for await (const s of this.nc.status()) {
      if (s.type === Events.Disconnect || s.type === Events.Reconnect || s.type === Events.Error) {
        this.log?.warn({ nats: s.type, data: String(s.data) }, `nats ${s.type}`);
      }
      if (s.type === Events.Disconnect) this.connected = false;
      if (s.type === Events.Reconnect) this.connected = true;
      if (s.type === Events.Reconnect && !this.closing) {
        for (const listener of this.reconnectListeners) {
          try {
            listener();
          } catch (err) {
            this.log?.error({ err }, 'a nats reconnect listener failed');
          }
        }
      }
    }
  }
}
