/**
 * `npx tsx bench/janus-ab-table.ts OUT_DIR`: the runs bench/janus-ab.sh wrote, as a Markdown table
 * (one row per variant, round and step) followed by each variant's mean per kind and step.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MediaStep } from './lib/gst-media.ts';

const dir = process.argv[2];
if (!dir) throw new Error('usage: janus-ab-table.ts OUT_DIR');

interface Row {
  variant: string;
  round: number;
  step: MediaStep;
}

const rows: Row[] = [];
for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
  const match = /^(.*)-(\d+)\.json$/.exec(file);
  if (!match) continue;
  const text = readFileSync(join(dir, file), 'utf8').trim();
  if (!text) continue;
  const result = JSON.parse(text.split('\n').pop() ?? '{}') as { steps?: Array<MediaStep | object> };
  for (const step of result.steps ?? []) {
    if ('forwardedPps' in step) rows.push({ variant: match[1]!, round: Number(match[2]), step });
  }
}
rows.sort(
  (a, b) =>
    a.step.kind.localeCompare(b.step.kind) ||
    a.step.subscriptions - b.step.subscriptions ||
    a.variant.localeCompare(b.variant) ||
    a.round - b.round,
);

const f = (x: number | null | undefined, d = 1) => (x === null || x === undefined ? '–' : x.toFixed(d));
console.log(
  '| variant | round | kind | subs | pps | Janus cores (user / sys) | µs/pkt all-in | above idle | user | sys | loss % | delay p50 / p99 ms | gen cores |',
);
console.log('| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const { variant, round, step: s } of rows) {
  console.log(
    `| ${variant} | ${round} | ${s.kind} | ${s.subscriptions} | ${s.forwardedPps} | ${f(s.janusCore, 3)} (${f(s.janusUserCore, 3)} / ${f(s.janusSystemCore, 3)}) | ${f(s.usPerPacket)} | ${f(s.usPerPacketAboveIdle)} | ${f(s.usPerPacketUser)} | ${f(s.usPerPacketSystem)} | ${f(s.lossPct, 2)} | ${f(s.delayP50Ms)} / ${f(s.delayP99Ms)} | ${f(s.generatorCore, 2)} |`,
  );
}

console.log('\nMeans over rounds:\n');
console.log('| variant | kind | subs | runs | µs/pkt all-in | above idle | user | sys | delay p99 ms |');
console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
const groups = new Map<string, MediaStep[]>();
for (const r of rows) {
  const key = `${r.variant}|${r.step.kind}|${r.step.subscriptions}`;
  groups.set(key, [...(groups.get(key) ?? []), r.step]);
}
const mean = (xs: Array<number | null | undefined>) => {
  const v = xs.filter((x): x is number => typeof x === 'number');
  return v.length ? v.reduce((a, b) => a + b, 0) / v.length : null;
};
for (const [key, steps] of groups) {
  const [variant, kind, subs] = key.split('|');
  console.log(
    `| ${variant} | ${kind} | ${subs} | ${steps.length} | ${f(mean(steps.map((s) => s.usPerPacket)))} | ${f(mean(steps.map((s) => s.usPerPacketAboveIdle)))} | ${f(mean(steps.map((s) => s.usPerPacketUser)))} | ${f(mean(steps.map((s) => s.usPerPacketSystem)))} | ${f(mean(steps.map((s) => s.delayP99Ms)))} |`,
  );
}
