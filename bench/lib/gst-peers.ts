import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** Debian's Python: PyGObject and the GStreamer typelibs are Debian packages, not pip ones. */
const PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('./gst-peers.py', import.meta.url));

export type MediaKind = 'audio' | 'video';

/** A local ICE candidate of one peer; `candidate: null` says gathering is complete. */
export interface LocalCandidate {
  mline: number | null;
  candidate: string | null;
}

export interface KindCounters {
  subscriptions: number;
  /** Packets every subscriber of this kind received, and lost, since it started. */
  packets: number;
  lost: number;
  /** Packets the publisher handed to webrtcbin since it started. */
  sent: number;
  /** Send → receive delays (ms) of the probed subscriptions since the previous report. */
  delaysMs: number[];
}

export interface GeneratorStats {
  /** CLOCK_MONOTONIC seconds when the generator started collecting these counters. */
  t: number;
  audio: KindCounters;
  video: KindCounters;
}

type GstEvent =
  | { ev: 'ready'; pid: number }
  | { ev: 'offer' | 'answer'; id: string; sdp: string }
  | { ev: 'candidate'; id: string; mline: number | null; candidate: string | null }
  | ({ ev: 'stats' } & GeneratorStats)
  | { ev: 'error'; id?: string; message: string };

interface PeerWaiters {
  sdp?: (sdp: string) => void;
  fail: (err: Error) => void;
  onCandidate: (c: LocalCandidate) => void;
}

/**
 * The GStreamer generator process (bench/lib/gst-peers.py): webrtcbin publishers and subscribers
 * that this side wires to Janus. One JSON object a line each way; see the script's docstring.
 */
export class GstPeers {
  private readonly peers = new Map<string, PeerWaiters>();
  private statsWaiter: ((s: GeneratorStats) => void) | null = null;
  private failure: Error | null = null;

  private constructor(private readonly child: ChildProcessWithoutNullStreams) {
    createInterface({ input: child.stdout }).on('line', (line) => this.onLine(line));
    child.on('exit', (code) =>
      this.fail(new Error(`the GStreamer generator exited (${code}); it needs ${PYTHON} with PyGObject`)),
    );
  }

  /** The generator's process id (its CPU is read from /proc). */
  get pid(): number {
    return this.child.pid ?? 0;
  }

  /** Start the generator and wait until it is ready for commands. */
  static async start(): Promise<GstPeers> {
    const child = spawn(PYTHON, [SCRIPT], { stdio: ['pipe', 'pipe', 'pipe'] });
    // GStreamer warnings go to our stderr as they come: they explain a failed run.
    child.stderr.on('data', (c: Buffer) => process.stderr.write(c));
    const peers = new GstPeers(child);
    await new Promise<void>((resolve, reject) => {
      peers.onReady = resolve;
      peers.onStartFailure = reject;
    });
    return peers;
  }

  private onReady: () => void = () => {};
  private onStartFailure: (err: Error) => void = () => {};

  private onLine(line: string): void {
    let event: GstEvent;
    try {
      event = JSON.parse(line) as GstEvent;
    } catch {
      return;
    }
    if (event.ev === 'ready') {
      this.onReady();
    } else if (event.ev === 'stats') {
      this.statsWaiter?.(event);
      this.statsWaiter = null;
    } else if (event.ev === 'error') {
      const err = new Error(`GStreamer generator: ${event.message}`);
      const peer = event.id === undefined ? undefined : this.peers.get(event.id);
      if (peer) peer.fail(err);
      else this.fail(err);
    } else if (event.ev === 'offer' || event.ev === 'answer') {
      const peer = this.peers.get(event.id);
      peer?.sdp?.(event.sdp);
    } else if (event.ev === 'candidate') {
      this.peers.get(event.id)?.onCandidate({ mline: event.mline, candidate: event.candidate });
    }
  }

  private fail(err: Error): void {
    if (this.failure) return;
    this.failure = err;
    this.onStartFailure(err);
    for (const peer of this.peers.values()) peer.fail(err);
  }

  private send(msg: Record<string, unknown>): void {
    if (this.failure) throw this.failure;
    this.child.stdin.write(`${JSON.stringify(msg)}\n`);
  }

  /** Start a peer and wait for its local description (the offer or the answer). */
  private describe(
    id: string,
    msg: Record<string, unknown>,
    onCandidate: (c: LocalCandidate) => void,
  ): Promise<string> {
    return new Promise((resolve, reject) => {
      this.peers.set(id, { sdp: resolve, fail: reject, onCandidate });
      this.send({ ...msg, id });
    });
  }

  /** A publisher of `kind`: resolves with its offer; local candidates go to `onCandidate`. */
  publish(id: string, kind: MediaKind, onCandidate: (c: LocalCandidate) => void): Promise<string> {
    return this.describe(id, { op: 'publish', kind }, onCandidate);
  }

  answer(id: string, sdp: string): void {
    this.send({ op: 'answer', id, sdp });
  }

  /** A subscriber answering Janus's `offer`; `probe` also samples its packets' delay. */
  subscribe(
    id: string,
    kind: MediaKind,
    offer: string,
    probe: boolean,
    onCandidate: (c: LocalCandidate) => void,
  ): Promise<string> {
    return this.describe(id, { op: 'subscribe', kind, sdp: offer, probe }, onCandidate);
  }

  addCandidate(id: string, mline: number, candidate: string): void {
    this.send({ op: 'candidate', id, mline, candidate });
  }

  stats(): Promise<GeneratorStats> {
    return new Promise((resolve, reject) => {
      if (this.failure) return reject(this.failure);
      this.statsWaiter = resolve;
      this.send({ op: 'stats' });
    });
  }

  close(): void {
    if (this.child.exitCode !== null) return;
    this.failure ??= new Error('closed');
    this.child.stdin.end(`${JSON.stringify({ op: 'quit' })}\n`);
  }
}
