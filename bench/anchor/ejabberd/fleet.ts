import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { mergeSummary } from '../../load/histogram.ts';
import type { LatencySummary } from '../../load/types.ts';
import type { AgentCommand, AgentReport, FailureTally, RampReport, TrafficReport } from './agent-protocol.ts';

/**
 * The parent side of the XMPP load agents: forks them (each its own process, source address and
 * share of users, an even share so chat pairs stay inside one agent), fans commands out, merges
 * their reports.
 */
export interface XmppFleetOptions {
  host: string;
  port: number;
  domain: string;
  users: number;
  agents: number;
  passwordSeed: string;
  heartbeatMs: number;
  loginTimeoutMs: number;
}

export interface RampResult {
  online: number;
  failures: FailureTally;
  /** First connect to last successful login, s. */
  rampSeconds: number;
  loginsPerSec: number;
  loginLatency: LatencySummary;
  samples: string[];
}

export interface TrafficResult {
  sent: number;
  received: number;
  lost: number;
  outOfOrder: number;
  sendRatePerSec: number;
  latency: LatencySummary;
}

const AGENT_FILE = fileURLToPath(new URL('./agent.ts', import.meta.url));

export class XmppFleet {
  private constructor(private readonly children: ChildProcess[]) {}

  get pids(): number[] {
    return this.children.map((c) => c.pid ?? 0);
  }

  static async open(o: XmppFleetOptions): Promise<XmppFleet> {
    const pairs = Math.floor(o.users / 2);
    const agents = Math.max(1, Math.min(o.agents, pairs));
    const children: ChildProcess[] = [];
    let first = 0;
    for (let a = 0; a < agents; a++) {
      const share = 2 * (Math.floor(pairs / agents) + (a < pairs % agents ? 1 : 0));
      // tsx as a loader: the agents run this TypeScript directly (their footprint is not measured).
      const child = fork(AGENT_FILE, [], {
        execArgv: ['--import', 'tsx'],
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      await next(child, 'ready');
      const init: AgentCommand = {
        type: 'init',
        host: o.host,
        port: o.port,
        domain: o.domain,
        localAddress: `127.0.0.${2 + (a % 250)}`,
        first,
        count: share,
        passwordSeed: o.passwordSeed,
        heartbeatMs: o.heartbeatMs,
        loginTimeoutMs: o.loginTimeoutMs,
      };
      child.send(init);
      children.push(child);
      first += share;
    }
    return new XmppFleet(children);
  }

  private async all<T extends AgentReport['type']>(
    cmd: (i: number) => AgentCommand,
    type: T,
  ): Promise<Array<Extract<AgentReport, { type: T }>>> {
    return Promise.all(
      this.children.map((c, i) => {
        const answer = next(c, type);
        c.send(cmd(i));
        return answer;
      }),
    );
  }

  /** Open every connection at `ratePerSec` in total (each agent its share of the rate). */
  async ramp(ratePerSec: number): Promise<RampResult> {
    const n = this.children.length;
    const parts: RampReport[] = await this.all(
      () => ({ type: 'ramp', ratePerSec: ratePerSec / n }),
      'ramped',
    );
    const failures: FailureTally = {};
    for (const p of parts)
      for (const [k, v] of Object.entries(p.failures) as Array<[keyof FailureTally, number]>)
        failures[k] = (failures[k] ?? 0) + v;
    const online = parts.reduce((s, p) => s + p.online, 0);
    const rampSeconds =
      (Math.max(...parts.map((p) => p.lastLoginMs)) - Math.min(...parts.map((p) => p.firstStartMs))) / 1000;
    return {
      online,
      failures,
      rampSeconds,
      loginsPerSec: rampSeconds > 0 ? online / rampSeconds : 0,
      loginLatency: mergeSummary(parts.map((p) => p.loginLatency)),
      samples: parts.flatMap((p) => p.samples).slice(0, 5),
    };
  }

  async status(): Promise<{ online: number; dropped: number; pings: number }> {
    const parts = await this.all(() => ({ type: 'status' }), 'status');
    return {
      online: parts.reduce((s, p) => s + p.online, 0),
      dropped: parts.reduce((s, p) => s + p.dropped, 0),
      pings: parts.reduce((s, p) => s + p.pings, 0),
    };
  }

  /** 1:1 chat at `ratePerSec` in total for durationSec, then drainSec for late deliveries. */
  async traffic(
    ratePerSec: number,
    durationSec: number,
    bodyBytes: number,
    drainSec: number,
  ): Promise<TrafficResult> {
    const n = this.children.length;
    const parts: TrafficReport[] = await this.all(
      () => ({ type: 'traffic', ratePerSec: ratePerSec / n, durationSec, bodyBytes, drainSec }),
      'traffic-done',
    );
    const sent = parts.reduce((s, p) => s + p.sent, 0);
    const windowSec = Math.max(...parts.map((p) => p.sendWindowMs)) / 1000;
    return {
      sent,
      received: parts.reduce((s, p) => s + p.received, 0),
      lost: parts.reduce((s, p) => s + p.lost, 0),
      outOfOrder: parts.reduce((s, p) => s + p.outOfOrder, 0),
      sendRatePerSec: windowSec > 0 ? sent / windowSec : 0,
      latency: mergeSummary(parts.map((p) => p.latency)),
    };
  }

  async close(): Promise<void> {
    await Promise.all(
      this.children.map(
        (c) =>
          new Promise<void>((resolve) => {
            if (c.exitCode !== null || !c.connected) return resolve();
            c.once('exit', () => resolve());
            c.send({ type: 'close' } satisfies AgentCommand);
          }),
      ),
    );
  }
}

/** The next report of `type` from an agent; rejects if the agent exits first. */
function next<T extends AgentReport['type']>(
  child: ChildProcess,
  type: T,
): Promise<Extract<AgentReport, { type: T }>> {
  return new Promise((resolve, reject) => {
    const onMessage = (r: AgentReport) => {
      if (r.type !== type) return;
      cleanup();
      resolve(r as Extract<AgentReport, { type: T }>);
    };
    const onExit = (code: number | null) => {
      cleanup();
      reject(new Error(`XMPP load agent ${child.pid ?? '?'} exited (${String(code)}) before "${type}"`));
    };
    const cleanup = () => {
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}
