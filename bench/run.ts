import { parseBenchArgs } from './lib/args.ts';
import { runBroadcastBench } from './scenarios/broadcast.ts';
import { runFanoutBench } from './scenarios/fanout.ts';
import { runMessagesBench } from './scenarios/messages.ts';
import { runUiBench } from './scenarios/ui.ts';

/**
 * `npm run bench -- <scenario> [--n N] [--duration S] [...]`: every scenario prints progress to
 * stderr and its result as one JSON line, last, on stdout.
 */
const scenarios: Record<string, (args: ReturnType<typeof parseBenchArgs>) => Promise<unknown>> = {
  messages: runMessagesBench,
  broadcast: runBroadcastBench,
  fanout: runFanoutBench,
  ui: runUiBench,
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
