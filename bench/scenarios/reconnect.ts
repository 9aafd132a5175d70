import type { BenchArgs } from '../lib/args.ts';
import { checkAwayMessage, countOutcomes, type AwayOutcome } from '../lib/away-check.ts';
import { RestFrom } from '../lib/rest-from.ts';
import { checkKernel, startClusterServer, type ClusterServer } from '../load/cluster-server.ts';
import { openFleet } from '../load/fleet.ts';
import { mintLogins, targetFor } from '../load/mint.ts';
import { openSeedApp, seedDirectPairs } from '../load/seed-conversations.ts';
import { diffServer, sampleServer, type ServerSample } from '../load/server-probe.ts';
import { diffServices, sampleServices, type ServiceSample } from '../lib/service-cpu.ts';
import type { Credential, Fleet, FleetStats } from '../load/types.ts';
import { quietCheck, reportServerLog, scaleFlags, sourceAddresses } from './scale-common.ts';

/** What the SDK asks first after a reconnect (sdk/src/sync/sync-manager.ts runSync): what changed since its cursor. */
const SYNC_OP = 'conversations.list';
/** The SDK's cursor lags the server clock (SYNC_OVERLAP_MS); a storm's cursor is taken this long before it. */
const CURSOR_MARGIN_MS = 5_000;
const IN_FLIGHT = 32;

const round = (x: number, digits = 1) => Number(x.toFixed(digits));

/** CPU seconds of all load agents so far. */
const agentCpuSeconds = (stats: FleetStats) => stats.agents.reduce((sum, a) => sum + a.cpuSeconds, 0);

/** Run `task` over `items`, `limit` at a time. */
async function lanes<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await task(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}

interface AwayMessage {
  recipient: Credential;
  conversationId: string;
  clientId: string;
  seq: number | null;
}

/**
 * `npm run bench -- reconnect [--n 100000] [--rate 2500] [--connect-rate 2000] [--away 1000]
 * [--workers 8] [--agents 8] [--sources 6] [--target sqlite|pg] [--reuse DIR] [--allow-load]` (S2):
 * n clients connect, then all drop and reconnect at `--rate`/s; each reconnected client first asks
 * `conversations.list` since its cursor, as the SDK does. Meanwhile `--away` of them are sent a direct
 * message; afterwards each of those fetches it (changed list, then the gap) or it counts as lost.
 */
export async function runReconnectBench(args: BenchArgs) {
  const log = (l: string) => console.error(l);
  const f = scaleFlags(args, { n: 100_000, workers: 8, agents: 8, sources: 6, rate: 2500, duration: 0 });
  const connectRate =
    typeof args.flags['connect-rate'] === 'string' ? Number(args.flags['connect-rate']) : 2000;
  const awayCount = Math.min(
    f.n,
    typeof args.flags.away === 'string' ? Number(args.flags.away) : Math.min(1000, Math.ceil(f.n / 10)),
  );
  const quiet = quietCheck(f.allowLoad, log);
  const kernel = checkKernel(log);
  const target = await targetFor(f);
  // One more login than connections: the sender of the messages, who stays off the fleet.
  const minted = await mintLogins(target, f.n + 1);
  const clients = minted.credentials.slice(0, f.n);
  const sender = minted.credentials[f.n] as Credential;
  const stride = f.n / awayCount;
  const recipients = Array.from(
    { length: awayCount },
    (_, i) => clients[Math.floor(i * stride)] as Credential,
  );
  const app = await openSeedApp(target);
  let conversations: string[];
  try {
    conversations = await seedDirectPairs(
      app,
      recipients.map((r) => [sender, r] as const),
    );
  } finally {
    await app.close();
  }
  let server: ClusterServer | undefined;
  let fleet: Fleet | undefined;
  let closeRest = () => {};
  try {
    server = await startClusterServer(target, { workers: f.workers });
    // The address after the fleet's: see rest-from.ts for why not 127.0.0.1.
    const rest = new RestFrom(
      new URL(`http://127.0.0.1:${server.port}`),
      sourceAddresses(f.sources + 1)[f.sources] as string,
    );
    closeRest = () => rest.close();
    fleet = await openFleet({
      host: '127.0.0.1',
      port: server.port,
      agents: f.agents,
      sourceAddresses: sourceAddresses(f.sources),
    });
    const connected = await fleet.connect(clients, { ratePerSec: connectRate });
    log(`reconnect: ${connected.open}/${f.n} connected; storm of ${connected.open} at ${f.rate}/s`);
    const since = Date.now() - CURSOR_MARGIN_MS;
    const agentsBefore = agentCpuSeconds(await fleet.stats());
    const before = sampleServer(server.pid);
    const machineBefore = sampleServices();
    // The offered window (all drops issued at --rate) apart from the tail of clients that wait out
    // their timeouts: whether the machine's CPUs were all busy while the storm was offered.
    const offeredSeconds = connected.open / f.rate;
    let offeredEnd: { server: ServerSample; machine: ServiceSample } | undefined;
    const offeredTimer = setTimeout(() => {
      offeredEnd = { server: sampleServer(server!.pid), machine: sampleServices() };
    }, offeredSeconds * 1000);
    offeredTimer.unref();
    const storm = fleet.reconnect({
      count: connected.open,
      ratePerSec: f.rate,
      syncOp: SYNC_OP,
      syncBody: JSON.stringify({ since }),
    });
    // Written while the storm runs: most recipients are between their close and their reconnect.
    const stamp = Date.now().toString(36);
    const away: AwayMessage[] = recipients.map((recipient, i) => ({
      recipient,
      conversationId: conversations[i] as string,
      clientId: `away_${stamp}_${i}`,
      seq: null,
    }));
    let sendErrors = 0;
    await lanes(away, IN_FLIGHT, async (m) => {
      try {
        const sent = await rest.call<{ seq: number }>(
          sender.accessToken,
          'POST',
          `/conversations/${m.conversationId}/messages`,
          {
            clientId: m.clientId,
            content: { kind: 'text', text: `离线期间的消息 while away ${m.clientId}` },
          },
        );
        m.seq = sent.seq;
      } catch (err) {
        if (sendErrors++ < 3) log(`send while away failed: ${String(err)}`);
      }
    });
    const result = await storm;
    clearTimeout(offeredTimer);
    const after = sampleServer(server.pid);
    const cpu = diffServer(before, after);
    const machine = diffServices(machineBefore, sampleServices());
    const agentCores = (agentCpuSeconds(result.stats) - agentsBefore) / Math.max(1e-9, result.elapsedSec);
    const outcomes: AwayOutcome[] = [];
    await lanes(away, IN_FLIGHT, async (m) => {
      if (m.seq === null) return;
      outcomes.push(await checkAwayMessage(rest, { ...m, token: m.recipient.accessToken }, since));
    });
    const fetched = outcomes.filter((o) => o === 'fetched').length;
    const lostBy = countOutcomes(outcomes.filter((o) => o !== 'fetched'));
    const acked = away.filter((m) => m.seq !== null).length;
    const reconnected = result.stats.established - connected.established;
    const out = {
      scenario: 'reconnect',
      target: target.name,
      dataDir: target.dataDir,
      quiet: quiet.quiet,
      outsideLoad: quiet.reasons,
      kernel,
      workers: f.workers,
      loadAgents: f.agents,
      sources: f.sources,
      clients: f.n,
      connectedBefore: connected.open,
      requestedRate: f.rate,
      reconnected,
      openAfter: result.stats.open,
      elapsedSeconds: round(result.elapsedSec, 2),
      connectsPerSecond: Math.round(result.rate),
      connectsPerServerCpuSecond: cpu.cpuSeconds > 0 ? Math.round(reconnected / cpu.cpuSeconds) : null,
      serverCores: round(cpu.cores, 2),
      agentCores: round(agentCores, 2),
      machineCores: round(machine.machineCores, 2),
      offeredWindow: offeredEnd && {
        seconds: round(offeredSeconds, 1),
        serverCores: round(diffServer(before, offeredEnd.server).cores, 2),
        machineCores: round(diffServices(machineBefore, offeredEnd.machine).machineCores, 2),
      },
      syncOp: SYNC_OP,
      firstAnswerMs: result.firstAnswer,
      connectLatencyMs: result.stats.connectLatency,
      failures: result.stats.failures,
      away: { sent: away.length, acked, sendErrors, fetched, lost: acked - fetched, lostBy },
      serverLog: reportServerLog(server.logPath, result.stats.failures, log),
    };
    if (out.offeredWindow)
      log(
        `reconnect: while offered (${out.offeredWindow.seconds} s) the server used ` +
          `${out.offeredWindow.serverCores} cores and the machine ${out.offeredWindow.machineCores}`,
      );
    log(
      `reconnect: ${reconnected} reconnected in ${out.elapsedSeconds} s (${out.connectsPerSecond}/s, ` +
        `${out.connectsPerServerCpuSecond} per server CPU-second); connect → first answer p50 ` +
        `${result.firstAnswer.p50} ms p99 ${result.firstAnswer.p99} ms; away: ${acked}/${away.length} acked, ` +
        `${fetched} fetched, ${out.away.lost} lost` +
        (out.away.lost > 0
          ? ` (${Object.entries(lostBy)
              .map(([why, k]) => `${k} ${why}`)
              .join(', ')})`
          : ''),
    );
    return out;
  } finally {
    closeRest();
    await fleet?.close();
    await server?.stop();
  }
}
