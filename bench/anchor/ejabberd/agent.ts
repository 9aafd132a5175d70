import { Histogram } from '../../load/histogram.ts';
import type { AgentCommand, AgentReport, FailureTally } from './agent-protocol.ts';
import { XmppConn, type XmppTarget } from './xmpp-conn.ts';

/**
 * An XMPP load agent, forked by the ejabberd scenario: holds its share of the connections, opens
 * them at a fixed arrival rate, pings each every heartbeat, and drives 1:1 chat at a fixed rate.
 * Both ends of every chat pair live here, so latency is read on one clock.
 */

const TICK_MS = 5;

function reply(r: AgentReport): void {
  process.send?.(r);
}

function nowMs(): number {
  return performance.timeOrigin + performance.now();
}

/** CLOCK_MONOTONIC in µs: what the sender writes into the body and the receiver subtracts. */
function monoUs(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

let init: Extract<AgentCommand, { type: 'init' }> | null = null;
const conns: XmppConn[] = [];
const partnerOf = new Map<XmppConn, XmppConn>();
let latency = new Histogram();
let pings = 0;
let heartbeat: NodeJS.Timeout | null = null;

/** Body: `zx <seq> <sent µs> <padding>`; the receiver checks order against its partner's seq. */
function onBody(conn: XmppConn, body: string): void {
  const [tag, seqText, sentText] = body.split(' ', 3);
  if (tag !== 'zx') return;
  const seq = Number(seqText);
  latency.record((monoUs() - Number(sentText)) / 1000);
  conn.received++;
  if (seq <= conn.lastSeq) conn.outOfOrder++;
  else conn.lastSeq = seq;
}

function ramp(ratePerSec: number): void {
  if (!init) throw new Error('ramp before init');
  const cfg = init;
  const target: XmppTarget = {
    host: cfg.host,
    port: cfg.port,
    domain: cfg.domain,
    localAddress: cfg.localAddress,
  };
  const hist = new Histogram();
  const failures: FailureTally = {};
  const samples: string[] = [];
  const start = performance.now();
  const firstStartMs = nowMs();
  let lastLoginMs = firstStartMs;
  let started = 0;
  let settled = 0;
  for (let j = 0; j < cfg.count; j++) {
    const i = cfg.first + j;
    conns.push(new XmppConn(`u${i}`, `${cfg.passwordSeed}${i}`, target, onBody));
  }
  for (let j = 0; j + 1 < cfg.count; j += 2) {
    partnerOf.set(conns[j]!, conns[j + 1]!);
    partnerOf.set(conns[j + 1]!, conns[j]!);
  }
  const done = () => {
    reply({
      type: 'ramped',
      online: conns.filter((c) => c.online).length,
      failures,
      firstStartMs,
      lastLoginMs,
      loginLatency: hist.toData(),
      samples,
    });
  };
  // Open model: connection j starts at j / rate seconds whether or not earlier ones finished.
  const timer = setInterval(() => {
    const due = Math.min(cfg.count, Math.floor(((performance.now() - start) * ratePerSec) / 1000) + 1);
    for (; started < due; started++) {
      const conn = conns[started]!;
      const t0 = performance.now();
      void conn.login(cfg.loginTimeoutMs).then((failure) => {
        settled++;
        if (failure === null) {
          hist.record(performance.now() - t0);
          lastLoginMs = nowMs();
        } else {
          failures[failure] = (failures[failure] ?? 0) + 1;
          if (samples.length < 5) samples.push(`${conn.user}: ${failure} ${conn.lastError}`);
        }
        if (settled === cfg.count) done();
      });
    }
    if (started >= cfg.count) clearInterval(timer);
  }, TICK_MS);
  if (cfg.count === 0) done();
  startHeartbeat(cfg.heartbeatMs);
}

/** One ping per online connection per heartbeat, spread evenly over it (no synchronized bursts). */
function startHeartbeat(heartbeatMs: number): void {
  const slices = Math.max(1, Math.round(heartbeatMs / 100));
  let slice = 0;
  heartbeat = setInterval(() => {
    for (let j = slice; j < conns.length; j += slices) {
      const c = conns[j]!;
      if (c.online) {
        c.ping();
        pings++;
      }
    }
    slice = (slice + 1) % slices;
  }, 100);
}

function traffic(cmd: Extract<AgentCommand, { type: 'traffic' }>): void {
  latency = new Histogram();
  const senders = conns.filter((c) => c.online && partnerOf.get(c)?.online);
  const sentBefore = new Map(senders.map((c) => [c, c.sent]));
  const receivedBefore = new Map(conns.map((c) => [c, c.received]));
  const orderBefore = conns.reduce((n, c) => n + c.outOfOrder, 0);
  const pad = 'x'.repeat(Math.max(0, cmd.bodyBytes - 40));
  const total = senders.length === 0 ? 0 : Math.floor(cmd.ratePerSec * cmd.durationSec);
  const start = performance.now();
  let sent = 0;
  let cursor = 0;
  const finish = () => {
    const sendWindowMs = performance.now() - start;
    setTimeout(() => {
      let received = 0;
      let lost = 0;
      for (const c of senders) {
        const partner = partnerOf.get(c)!;
        const got = partner.received - (receivedBefore.get(partner) ?? 0);
        received += got;
        lost += Math.max(0, c.sent - (sentBefore.get(c) ?? 0) - got);
      }
      const outOfOrder = conns.reduce((n, c) => n + c.outOfOrder, 0) - orderBefore;
      reply({
        type: 'traffic-done',
        sent,
        received,
        lost,
        outOfOrder,
        latency: latency.toData(),
        sendWindowMs,
      });
    }, cmd.drainSec * 1000);
  };
  if (total === 0) return finish();
  const timer = setInterval(() => {
    const due = Math.min(total, Math.floor(((performance.now() - start) * cmd.ratePerSec) / 1000) + 1);
    for (; sent < due; sent++) {
      const c = senders[cursor]!;
      cursor = (cursor + 1) % senders.length;
      c.sendChat(partnerOf.get(c)!.user, `zx ${c.sent + 1} ${monoUs()} ${pad}`);
    }
    if (sent >= total) {
      clearInterval(timer);
      finish();
    }
  }, TICK_MS);
}

process.on('message', (cmd: AgentCommand) => {
  switch (cmd.type) {
    case 'init':
      init = cmd;
      return;
    case 'ramp':
      return ramp(cmd.ratePerSec);
    case 'traffic':
      return traffic(cmd);
    case 'status':
      return reply({
        type: 'status',
        online: conns.filter((c) => c.online).length,
        dropped: conns.filter((c) => c.dropped).length,
        pings,
      });
    case 'close':
      if (heartbeat) clearInterval(heartbeat);
      for (const c of conns) c.close();
      setTimeout(() => process.exit(0), 200);
      return;
  }
});
// The scenario went away (crashed or interrupted): close everything rather than linger as an orphan.
process.once('disconnect', () => process.exit(0));
reply({ type: 'ready', pid: process.pid });
