import { percentile } from '../lib/args.ts';
import { latencyOf, round } from './cluster-latency.ts';
import { ProbeClient, ProbePair } from './cluster-probes.ts';
import type { Credential } from '../load/types.ts';

/**
 * A probe triad measures what crossing nodes adds to one message, with everything else cancelled:
 * a sender and a `near` member on one node group and a `far` member on the other, in a group of
 * three. Every message is committed once and fanned out once on the sender's node; the near copy
 * goes straight to its socket, the far copy through NATS to the other node. Far arrival minus near
 * arrival, per message, is the added cross-node latency. The difference of two p99s taken over
 * different messages (the probe pairs) also carries the commit's and the machine's noise.
 */
export class ProbeTriad {
  readonly pair: ProbePair;

  constructor(
    index: number,
    sender: ProbeClient,
    near: ProbeClient,
    readonly far: ProbeClient,
  ) {
    this.pair = new ProbePair(index, 'same-node', sender, near);
  }

  clients(): ProbeClient[] {
    return [this.pair.sender, this.pair.receiver, this.far];
  }

  async connect(): Promise<void> {
    await Promise.all(this.clients().map((c) => c.connect()));
  }

  /** Record arrivals and send `ratePerSec` messages per second. */
  start(ratePerSec: number): void {
    for (const c of this.clients()) c.recording = true;
    this.pair.start(ratePerSec);
  }

  stop(): void {
    this.pair.stop();
    for (const c of this.clients()) c.recording = false;
  }

  close(): void {
    this.stop();
    for (const c of this.clients()) c.close();
  }

  /** Far minus near arrival (ms) of every message both members got live while recording. */
  addedMs(): number[] {
    const near = this.pair.receiver.arrivals;
    const out: number[] = [];
    for (const [clientId, farAt] of this.far.arrivals) {
      const nearAt = near.get(clientId);
      if (nearAt !== undefined) out.push(farAt - nearAt);
    }
    return out;
  }
}

/** Triads alternate: even ones send from A (far member on B), odd ones from B (far member on A). */
export function probeTriads(
  creds: readonly Credential[],
  conversations: readonly string[],
  ports: { a: number; b: number },
): ProbeTriad[] {
  return conversations.map((conversationId, k) => {
    const [home, away] = k % 2 === 0 ? [ports.a, ports.b] : [ports.b, ports.a];
    const at = (i: number, port: number) =>
      new ProbeClient(creds[3 * k + i] as Credential, conversationId, port);
    return new ProbeTriad(k, at(0, home), at(1, home), at(2, away));
  });
}

/**
 * The added cross-node latency over all triads: per-message differences, how many were paired, and
 * the low tail (p1, min): a difference below zero is the far copy arriving first, i.e. how much the
 * probes' own scheduling (one process reads every member's socket) spreads the figure.
 */
export function triadLatency(triads: readonly ProbeTriad[]) {
  const added = triads.flatMap((t) => t.addedMs());
  const sent = triads.reduce((n, t) => n + t.pair.acked.size, 0);
  return {
    ...latencyOf(added),
    p1: round(percentile(added, 1)),
    min: round(added.reduce((m, v) => Math.min(m, v), added.length > 0 ? Infinity : 0)),
    acked: sent,
  };
}
