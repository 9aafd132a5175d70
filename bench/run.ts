import { parseBenchArgs } from './lib/args.ts';
import { runBroadcastBench } from './scenarios/broadcast.ts';
import { runCallsBench } from './scenarios/calls.ts';
import { runEjabberdBench } from './scenarios/ejabberd.ts';
import { runEncryptionBench } from './scenarios/encryption.ts';
import { runExportsBench } from './scenarios/exports.ts';
import { runFanoutBench } from './scenarios/fanout.ts';
import { runFeedBench } from './scenarios/feed.ts';
import { runGroupFanoutBench } from './scenarios/group-fanout.ts';
import { runClusterBench } from './scenarios/cluster.ts';
import { runSoakBench } from './scenarios/soak.ts';
import { runThroughputBench } from './scenarios/throughput.ts';
import { runFilesBench } from './scenarios/files.ts';
import { runMessagesBench } from './scenarios/messages.ts';
import { runStatsBench } from './scenarios/stats.ts';
import { runUiBench } from './scenarios/ui.ts';
import { runMediaBench } from './scenarios/media.ts';
import { runVideoLatencyBench } from './scenarios/video-latency.ts';
import { runConnectionsBench } from './scenarios/connections.ts';
import { runReconnectBench } from './scenarios/reconnect.ts';
import { runRejoinBench } from './scenarios/rejoin.ts';
import { runChannelPushBench } from './scenarios/channel-push.ts';

/**
 * `npm run bench -- <scenario> [--n N] [--duration S] [...]`: every scenario prints progress to
 * stderr and its result as one JSON line, last, on stdout.
 */
type BenchArgs = ReturnType<typeof parseBenchArgs>;

/**
 * Issue 4's fan-out figures in one run: a 1,000-member group with every member online, then the
 * operations account's broadcast to `--users` (85,000) users; `--skip-broadcast` for the group only.
 */
async function runFanoutWithBroadcast(args: BenchArgs) {
  const group = await runFanoutBench(args);
  if (args.flags['skip-broadcast']) return group;
  const which = String(args.flags.target ?? 'both');
  const broadcast = [];
  for (const target of which === 'both' ? ['sqlite', 'pg'] : [which])
    broadcast.push(await runBroadcastBench({ ...args, flags: { ...args.flags, target } }));
  return { ...group, broadcast };
}

const scenarios: Record<string, (args: BenchArgs) => Promise<unknown>> = {
  messages: runMessagesBench,
  broadcast: runBroadcastBench,
  // Issue 4's one 1,000-member group (+ broadcast); issue 9's 20 active groups are `fanout`.
  group: runFanoutWithBroadcast,
  fanout: runGroupFanoutBench,
  throughput: runThroughputBench,
  cluster: runClusterBench,
  soak: runSoakBench,
  ui: runUiBench,
  media: runMediaBench,
  'video-latency': runVideoLatencyBench,
  stats: runStatsBench,
  calls: runCallsBench,
  files: runFilesBench,
  exports: runExportsBench,
  feed: runFeedBench,
  encryption: runEncryptionBench,
  ejabberd: runEjabberdBench,
  connections: runConnectionsBench,
  reconnect: runReconnectBench,
  rejoin: runRejoinBench,
  'channel-push': runChannelPushBench,
};

const args = parseBenchArgs(process.argv.slice(2));
const run = scenarios[args.scenario];
if (!run) {
  console.error(`unknown scenario "${args.scenario}"; known: ${Object.keys(scenarios).join(', ')}`);
  process.exit(2);
}
const result = await run(args);
console.log(JSON.stringify(result));
process.exit(0);
