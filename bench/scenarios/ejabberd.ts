import type { BenchArgs } from '../lib/args.ts';
import { freePort } from '../lib/server.ts';
import {
  diffServer,
  kernelSocketMemory,
  machineLoad,
  outsideLoad,
  sampleServer,
  serverKernelShare,
  type MachineLoad,
} from '../load/server-probe.ts';
import { XmppFleet, type RampResult, type TrafficResult } from '../anchor/ejabberd/fleet.ts';
import { startEjabberd } from '../anchor/ejabberd/node.ts';

/**
 * Issue 9, item 4: ejabberd (Debian's 23.01, Erlang/OTP 25) on this machine, loopback, measured the
 * way our `connections` and `throughput` scenarios measure Zhixin, so BENCHMARKS.md can give ratios.
 *
 * 1. Connections: N users pre-registered in bulk, then N XMPP connections opened at a fixed arrival
 *    rate (`--login-rate`, open model) and logged in (SASL PLAIN, bind, initial presence), each
 *    pinging every `--heartbeat` s (XEP-0199). Memory per connection = beam.smp RSS growth + the
 *    server half of the kernel's TCP socket memory growth, over N; idle CPU over `--idle` s.
 * 2. Throughput: `--rate` chat messages/s in total between the N/2 pairs for `--duration` s, a
 *    `--size`-byte body carrying the send time; messages per beam.smp CPU-second, send -> receive
 *    p50/p99, loss. `--mam` archives every message in Mnesia (closer to our durable store).
 */
export interface EjabberdResult {
  scenario: 'ejabberd';
  server: string;
  n: number;
  agents: number;
  mam: boolean;
  registration: { users: number; seconds: number; perSec: number };
  connections: RampResult & {
    loginRate: number;
    /** beam.smp CPU seconds per successful login during the ramp. */
    cpuMsPerLogin: number;
    rssBytes: number;
    kernelBytes: number;
    bytesPerConnection: number;
    rssPerConnection: number;
    kernelPerConnection: number;
  };
  idle: {
    seconds: number;
    heartbeatSec: number;
    cpuPercentOfCore: number;
    dropped: number;
    online: number;
    /** beam.smp RSS growth since before the ramp, over connections, at the end of the idle hold. */
    rssPerConnection: number;
    /** erlang:memory() at the end of the idle hold, bytes by kind, and the process count. */
    erlangMemory: Record<string, number>;
  };
  throughput: TrafficResult & {
    rate: number;
    durationSec: number;
    bodyBytes: number;
    serverCpuSeconds: number;
    serverCores: number;
    messagesPerCpuSecond: number;
    /** The same with the idle hold's keepalive CPU (cores x wall time of the window) taken out. */
    messagesPerCpuSecondNetOfIdle: number;
    /** Messages in mod_mam's archive after the run (`--mam`; each is stored once per party). */
    archived: number;
  };
  serverRssBytes: number;
  load: { before: MachineLoad; afterConnections: MachineLoad; after: MachineLoad; warnings: string[] };
}

function num(v: string | boolean | undefined, fallback: number): number {
  return typeof v === 'string' && v !== '' ? Number(v) : fallback;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function log(text: string): void {
  process.stderr.write(`[ejabberd] ${text}\n`);
}

function kib(bytes: number): string {
  return `${(bytes / 1024).toFixed(2)} KiB`;
}

/**
 * Wait until the server's RSS holds still (within 1% over 2 s, at most 20 s): the VM frees start-up
 * and registration garbage for a while, which would otherwise be subtracted from the connections.
 */
async function settledRss(pid: number): Promise<void> {
  const deadline = Date.now() + 20_000;
  let last = sampleServer(pid).rssBytes;
  while (Date.now() < deadline) {
    await sleep(2000);
    const now = sampleServer(pid).rssBytes;
    if (Math.abs(now - last) <= last * 0.01) return;
    last = now;
  }
}

export async function runEjabberdBench(args: BenchArgs): Promise<EjabberdResult> {
  const n = Math.max(2, args.n - (args.n % 2));
  const f = args.flags;
  const loginRate = num(f['login-rate'], 1000);
  const idleSec = num(f.idle, 30);
  const heartbeatSec = num(f.heartbeat, 25);
  const rate = num(f.rate, 1000);
  const bodyBytes = num(f.size, 256);
  const mam = f.mam === true;
  const agents = num(f.agents, Math.min(4, Math.ceil(n / 5000)));
  if (n > 19_000)
    throw new Error('ejabberd is one process: at most ~19,000 connections under the 20,000-file limit');

  const before = machineLoad();
  const warnings = outsideLoad(before, { maxLoadPerCpu: 2 });
  for (const w of warnings) log(`WARNING (figures are noise): ${w}`);
  log(`loadavg ${before.load1} ${before.load5} ${before.load15}; TCP inuse ${before.sockstat.tcp.inuse}`);

  const node = await startEjabberd({ port: await freePort(), mam });
  let fleet: XmppFleet | null = null;
  try {
    log(`ejabberd pid ${node.pid} on 127.0.0.1:${node.port} (${node.dir}); registering ${n} users`);
    const regSeconds = await node.registerUsers(0, n);
    log(`registered ${n} users in ${regSeconds.toFixed(1)} s`);
    fleet = await XmppFleet.open({
      host: '127.0.0.1',
      port: node.port,
      domain: node.domain,
      users: n,
      agents,
      passwordSeed: node.passwordSeed,
      heartbeatMs: heartbeatSec * 1000,
      loginTimeoutMs: 30_000,
    });
    await settledRss(node.pid);

    // Connections: baseline, ramp, settle, measure.
    const kernel0 = kernelSocketMemory();
    const s0 = sampleServer(node.pid);
    log(`ramp: ${n} logins at ${loginRate}/s over ${fleet.pids.length} agents`);
    const ramp = await fleet.ramp(loginRate);
    const s1 = sampleServer(node.pid);
    await sleep(5000);
    const s2 = sampleServer(node.pid);
    const kernel2 = kernelSocketMemory();
    const rssBytes = s2.rssBytes - s0.rssBytes;
    const kernelBytes = serverKernelShare(kernel0, kernel2).bytes;
    const online = Math.max(1, ramp.online);
    const rampCpu = diffServer(s0, s1).cpuSeconds;
    log(
      `ramp: ${ramp.online}/${n} online in ${ramp.rampSeconds.toFixed(1)} s (${ramp.loginsPerSec.toFixed(0)} logins/s), ` +
        `login p50 ${ramp.loginLatency.p50} / p99 ${ramp.loginLatency.p99} ms; failures ${JSON.stringify(ramp.failures)}; ` +
        `${((rampCpu * 1000) / online).toFixed(2)} beam CPU-ms per login (${(online / rampCpu).toFixed(0)} logins per CPU-second)`,
    );
    log(
      `memory per connection: ${kib((rssBytes + kernelBytes) / online)} (beam RSS ${kib(rssBytes / online)} + kernel ${kib(kernelBytes / online)})`,
    );
    const afterConnections = machineLoad();

    // Idle with keepalives.
    const i0 = sampleServer(node.pid);
    await sleep(idleSec * 1000);
    const i1 = sampleServer(node.pid);
    const idleDelta = diffServer(i0, i1);
    const idleStatus = await fleet.status();
    const erlangMemory = await node.erlangMemory();
    log(`erlang:memory() after idle: ${JSON.stringify(erlangMemory)}`);
    const idleRssPerConnection = (i1.rssBytes - s0.rssBytes) / online;
    log(
      `idle ${idleSec} s: beam ${(idleDelta.cores * 100).toFixed(2)}% of a core, RSS ${kib(idleRssPerConnection)} per connection; ` +
        `${idleStatus.online} online, ${idleStatus.dropped} dropped`,
    );

    // Throughput.
    const drainSec = 5;
    const t0 = sampleServer(node.pid);
    const traffic = await fleet.traffic(rate, args.duration, bodyBytes, drainSec);
    const t1 = sampleServer(node.pid);
    const busy = diffServer(t0, t1);
    const messagesPerCpuSecond = busy.cpuSeconds > 0 ? traffic.received / busy.cpuSeconds : 0;
    const chatCpuSeconds = busy.cpuSeconds - idleDelta.cores * busy.wallSeconds;
    const messagesPerCpuSecondNetOfIdle = chatCpuSeconds > 0 ? traffic.received / chatCpuSeconds : 0;
    log(
      `throughput: ${traffic.sent} sent at ${traffic.sendRatePerSec.toFixed(0)}/s, ${traffic.received} received, ${traffic.lost} lost, ` +
        `${traffic.outOfOrder} out of order; p50 ${traffic.latency.p50} / p99 ${traffic.latency.p99} ms; ` +
        `${messagesPerCpuSecond.toFixed(0)} msgs per beam CPU-second (${busy.cpuSeconds.toFixed(2)} CPU-s incl. ${drainSec} s drain), ` +
        `${messagesPerCpuSecondNetOfIdle.toFixed(0)} net of idle keepalive CPU`,
    );
    const archived = mam ? await node.archivedMessages() : 0;
    if (mam) log(`mod_mam archive: ${archived} rows for ${traffic.received} messages`);
    const after = machineLoad();
    log(`loadavg after ${after.load1} ${after.load5} ${after.load15}; TCP inuse ${after.sockstat.tcp.inuse}`);
    if (after.load1 > 2 * after.cpus) warnings.push(`1-minute load average ${after.load1} after the run`);

    return {
      scenario: 'ejabberd',
      server: 'ejabberd 23.01 (Debian 12), Erlang/OTP 25, Mnesia',
      n,
      agents: fleet.pids.length,
      mam,
      registration: { users: n, seconds: regSeconds, perSec: n / regSeconds },
      connections: {
        ...ramp,
        loginRate,
        cpuMsPerLogin: (rampCpu * 1000) / online,
        rssBytes,
        kernelBytes,
        bytesPerConnection: (rssBytes + kernelBytes) / online,
        rssPerConnection: rssBytes / online,
        kernelPerConnection: kernelBytes / online,
      },
      idle: {
        seconds: idleSec,
        heartbeatSec,
        cpuPercentOfCore: idleDelta.cores * 100,
        dropped: idleStatus.dropped,
        online: idleStatus.online,
        rssPerConnection: idleRssPerConnection,
        erlangMemory,
      },
      throughput: {
        ...traffic,
        rate,
        durationSec: args.duration,
        bodyBytes,
        serverCpuSeconds: busy.cpuSeconds,
        serverCores: busy.cores,
        messagesPerCpuSecond,
        messagesPerCpuSecondNetOfIdle,
        archived,
      },
      serverRssBytes: t1.rssBytes,
      load: { before, afterConnections, after, warnings },
    };
  } finally {
    await fleet?.close();
    await node.stop();
  }
}
