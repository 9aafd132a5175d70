import type { HistogramData } from '../../load/types.ts';
import type { LoginFailure } from './xmpp-conn.ts';

/**
 * IPC between the ejabberd scenario (parent) and its XMPP load agents (agent.ts). Agent i holds
 * users u<first>..u<first+count-1>; users 2k and 2k+1 of an agent chat with each other, so every
 * pair's sender and receiver share one process and one clock.
 */
export type AgentCommand =
  | {
      type: 'init';
      host: string;
      port: number;
      domain: string;
      localAddress: string;
      first: number;
      count: number;
      /** Password of user i is `${passwordSeed}${i}`. */
      passwordSeed: string;
      heartbeatMs: number;
      loginTimeoutMs: number;
    }
  /** Open every connection at a fixed arrival rate (open model), starting at once. */
  | { type: 'ramp'; ratePerSec: number }
  /** Every online connection sends to its partner in turn at a fixed total rate. */
  | { type: 'traffic'; ratePerSec: number; durationSec: number; bodyBytes: number; drainSec: number }
  | { type: 'status' }
  | { type: 'close' };

export type FailureTally = Partial<Record<LoginFailure, number>>;

export interface RampReport {
  type: 'ramped';
  online: number;
  failures: FailureTally;
  /** Epoch ms (performance.timeOrigin + now) of the first connect and the last login done. */
  firstStartMs: number;
  lastLoginMs: number;
  /** Connect -> bind result, ms. */
  loginLatency: HistogramData;
  samples: string[];
}

export interface TrafficReport {
  type: 'traffic-done';
  sent: number;
  received: number;
  lost: number;
  outOfOrder: number;
  /** Send -> receive, ms (CLOCK_MONOTONIC in the body, read by the receiver in the same process). */
  latency: HistogramData;
  /** Achieved send window, ms. */
  sendWindowMs: number;
}

export type AgentReport =
  | { type: 'ready'; pid: number }
  | RampReport
  | TrafficReport
  | { type: 'status'; online: number; dropped: number; pings: number };
