import { subjectMatches } from './broker.ts';
import { isBrokerMessage, type IpcToPrimary, type IpcToWorker } from './ipc.ts';

/** The primary's end of one worker's channel (wraps a `cluster.Worker`). */
export interface RelayPeer {
  send(message: IpcToWorker): void;
}

interface PeerState {
  peer: RelayPeer;
  exact: Set<string>;
  wild: Set<string>;
}

/**
 * The cluster primary's side of the IpcBroker: it remembers which patterns each worker subscribed to
 * and forwards each publish to every worker with a matching one, in the order it received them, so
 * a worker that has no interest in a node subject never sees its traffic.
 */
export class IpcRelay {
  private readonly peers = new Map<string, PeerState>();

  addPeer(id: string, peer: RelayPeer): void {
    this.peers.set(id, { peer, exact: new Set(), wild: new Set() });
  }

  /** Forget a worker that exited, with its subscriptions. */
  removePeer(id: string): void {
    this.peers.delete(id);
  }

  get size(): number {
    return this.peers.size;
  }

  /** Handle one IPC message from worker `id`; returns false when it was not a broker message. */
  handle(id: string, message: unknown): boolean {
    if (!isBrokerMessage(message)) return false;
    const state = this.peers.get(id);
    if (!state) return true;
    const m = message as IpcToPrimary;
    switch (m.t) {
      case 'pub':
        if (typeof m.subject === 'string' && typeof m.data === 'string') this.relay(m.subject, m.data);
        break;
      case 'sub':
        if (typeof m.pattern === 'string') (isWild(m.pattern) ? state.wild : state.exact).add(m.pattern);
        break;
      case 'unsub':
        if (typeof m.pattern === 'string') (isWild(m.pattern) ? state.wild : state.exact).delete(m.pattern);
        break;
      case 'flush':
        // Everything this worker sent before the flush has been relayed (the channel is ordered).
        safeSend(state.peer, { zx: 'broker', t: 'flushed', id: m.id });
        break;
    }
    return true;
  }

  /** Publish from the primary itself (e.g. to announce that a worker died). */
  publish(subject: string, payload: unknown): void {
    this.relay(subject, JSON.stringify(payload));
  }

  private relay(subject: string, data: string): void {
    const msg: IpcToWorker = { zx: 'broker', t: 'msg', subject, data };
    for (const state of this.peers.values()) {
      if (state.exact.has(subject) || [...state.wild].some((p) => subjectMatches(p, subject)))
        safeSend(state.peer, msg);
    }
  }
}

function isWild(pattern: string): boolean {
  return pattern.includes('*') || pattern.includes('>');
}

function safeSend(peer: RelayPeer, msg: IpcToWorker): void {
  try {
    peer.send(msg);
  } catch {
    // The worker is exiting; its 'exit' event removes it.
  }
}
