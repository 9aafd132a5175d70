import WebSocket from 'ws';
import { PROTOCOL_VERSION } from '@zhixin/protocol';
import type { Credential } from '../load/types.ts';

/**
 * Probe pairs for the `cluster` and `soak` scenarios: a few full clients (the `ws` library), each
 * pair a sender and a receiver in one direct conversation, on chosen nodes. They see what the lean
 * fleet cannot: one plan spanning two node groups (same-node vs cross-node latency in the same run),
 * and every acked client id, checked against what the receiver got live or fetched after a restart.
 */

interface MessageEvent {
  conversationId: string;
  seq: number;
  clientId?: string;
}

/** Epoch ms now, on the same clock as the µs stamp in client ids. */
const wallMs = () => performance.timeOrigin + performance.now();

/** One authenticated connection that answers requests and records deliveries of one conversation. */
export class ProbeClient {
  private ws: WebSocket | null = null;
  private nextReq = 0;
  private readonly waiting = new Map<string, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  /** Client ids delivered live, and those fetched by history after a reconnect. */
  readonly live = new Set<string>();
  readonly fetched = new Set<string>();
  /** Highest seq seen in the conversation (live or fetched). */
  lastSeq = 0;
  /** Live delivery latencies (ms), only while `recording`. */
  readonly latencies: number[] = [];
  /** When each client id arrived live (epoch ms), only while `recording`: triads pair them up. */
  readonly arrivals = new Map<string, number>();
  recording = false;

  constructor(
    readonly cred: Credential,
    readonly conversationId: string,
    public port: number,
  ) {}

  get connected(): boolean {
    return this.ws?.readyState === WebSocket.OPEN;
  }

  /** Connect and authenticate; rejects on refusal (the node may be down). */
  async connect(): Promise<void> {
    const ws = new WebSocket(`ws://127.0.0.1:${this.port}/ws`, { perMessageDeflate: false });
    this.ws = ws;
    await new Promise<void>((resolve, reject) => {
      const fail = (err: Error) => reject(err);
      ws.once('error', fail);
      ws.once('close', () => fail(new Error('closed before hello')));
      ws.once('open', () =>
        ws.send(JSON.stringify({ type: 'auth', v: PROTOCOL_VERSION, accessToken: this.cred.accessToken })),
      );
      ws.on('message', (data) => {
        const frame = JSON.parse(String(data)) as {
          type: string;
          id?: string;
          ok?: boolean;
          body?: unknown;
          event?: string;
          error?: { code: string };
        };
        if (frame.type === 'hello') {
          ws.off('error', fail);
          ws.on('error', () => undefined);
          resolve();
        } else if (frame.type === 'res')
          this.answer(frame.id ?? '', frame.ok === true, frame.body, frame.error?.code);
        else if (frame.type === 'event' && frame.event === 'message.created.v1')
          this.deliver(frame.body as MessageEvent);
      });
      ws.on('close', () => {
        for (const w of this.waiting.values()) w.reject(new Error('connection closed'));
        this.waiting.clear();
      });
    });
  }

  /** Keep trying to connect (the node restarting) until `deadlineMs` (epoch); true when connected. */
  async reconnect(deadlineMs: number): Promise<boolean> {
    while (wallMs() < deadlineMs) {
      try {
        await this.connect();
        return true;
      } catch {
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    return false;
  }

  request(op: string, body: unknown, timeoutMs = 10_000): Promise<unknown> {
    const ws = this.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) return Promise.reject(new Error('not connected'));
    const id = String(++this.nextReq);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(new Error(`${op}: no answer in ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiting.set(id, {
        resolve: (v) => (clearTimeout(timer), resolve(v)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      });
      ws.send(JSON.stringify({ type: 'req', id, op, body }));
    });
  }

  private answer(id: string, ok: boolean, body: unknown, code: string | undefined): void {
    const w = this.waiting.get(id);
    if (!w) return;
    this.waiting.delete(id);
    if (ok) w.resolve(body);
    else w.reject(new Error(code ?? 'error'));
  }

  private deliver(m: MessageEvent): void {
    if (m.conversationId !== this.conversationId || !m.clientId) return;
    this.lastSeq = Math.max(this.lastSeq, m.seq);
    this.live.add(m.clientId);
    if (!this.recording) return;
    const now = wallMs();
    this.arrivals.set(m.clientId, now);
    const sentAt = Number(m.clientId.split('_')[3]) / 1000;
    if (Number.isFinite(sentAt)) this.latencies.push(now - sentAt);
  }

  /** Pull every message after `afterSeq` (the SDK's gap sync: messages.history with afterSeq). */
  async fetchSince(afterSeq: number): Promise<number> {
    let after = afterSeq;
    let count = 0;
    for (;;) {
      const page = (await this.request('messages.history', {
        conversationId: this.conversationId,
        afterSeq: after,
        limit: 200,
      })) as { messages: MessageEvent[]; hasMore: boolean };
      for (const m of page.messages) {
        if (m.clientId) this.fetched.add(m.clientId);
        after = Math.max(after, m.seq);
        count++;
      }
      this.lastSeq = Math.max(this.lastSeq, after);
      if (!page.hasMore || page.messages.length === 0) return count;
    }
  }

  close(): void {
    this.ws?.close();
  }
}

/** A sender and a receiver in one direct conversation, labelled by where they are connected. */
export class ProbePair {
  readonly acked = new Set<string>();
  sendErrors = 0;
  private n = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    readonly index: number,
    readonly kind: 'same-node' | 'cross-node',
    readonly sender: ProbeClient,
    readonly receiver: ProbeClient,
  ) {}

  /** Send `ratePerSec` text messages per second while connected (open model: on a clock). */
  start(ratePerSec: number): void {
    this.timer = setInterval(() => this.sendOne(), 1000 / ratePerSec);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private sendOne(): void {
    if (!this.sender.connected) return;
    const clientId = `p_${this.index}_${++this.n}_${Math.round(wallMs() * 1000)}`;
    this.sender
      .request('messages.send', {
        conversationId: this.sender.conversationId,
        clientId,
        content: { kind: 'text', text: `探针 probe ${this.n}` },
      })
      .then((body) => {
        this.acked.add(clientId);
        // The sender's own sends move its cursor, as in the SDK: after a restart it pulls only what
        // came after its last acked message, not the whole conversation.
        const seq = (body as { seq?: unknown }).seq;
        if (typeof seq === 'number') this.sender.lastSeq = Math.max(this.sender.lastSeq, seq);
      })
      .catch(() => this.sendErrors++);
  }

  /** Acked client ids the receiver has not seen, live or fetched. */
  missing(): string[] {
    return [...this.acked].filter((id) => !this.receiver.live.has(id) && !this.receiver.fetched.has(id));
  }

  /** Acked client ids the receiver did not get live (it was away). */
  missedLive(): number {
    return [...this.acked].filter((id) => !this.receiver.live.has(id)).length;
  }
}
