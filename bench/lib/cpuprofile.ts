import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

/** The parts of a V8 `.cpuprofile` (what `node --cpu-prof` writes) that the summary reads. */
export interface CpuProfile {
  nodes: Array<{
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
    children?: number[];
  }>;
  startTime: number;
  endTime: number;
  samples: number[];
  /** µs since the previous sample (the first: since startTime). */
  timeDeltas: number[];
}

export interface ProfileEntry {
  name: string;
  /** µs sampled in this function (or file) itself. */
  selfUs: number;
  /** µs sampled with this function (or file) anywhere on the stack, recursion counted once. */
  totalUs: number;
}

export interface ProfileSummary {
  /** The window summed, µs from the profile's start. */
  fromUs: number;
  toUs: number;
  /** µs of samples in the window that were not idle (what the process spent on CPU). */
  busyUs: number;
  byFunction: ProfileEntry[];
  byFile: ProfileEntry[];
}

const IDLE = '(idle)';

/** `fn file:line`, with the file trimmed to what identifies it (node_modules package or repo path). */
function functionKey(frame: CpuProfile['nodes'][number]['callFrame']): string {
  return `${frame.functionName || '(anonymous)'} ${fileKey(frame.url)}:${frame.lineNumber + 1}`;
}

function fileKey(url: string): string {
  if (!url) return '(native)';
  const path = url.replace(/^file:\/\//, '');
  const nm = path.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const rest = path.slice(nm + '/node_modules/'.length).split('/');
    const pkg = rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
    return `${pkg}/…/${basename(path)}`;
  }
  const src = path.indexOf('/packages/');
  return src >= 0 ? path.slice(src + 1) : path;
}

/** Each sample's time (µs from the profile's start) and the µs it stands for (the next delta). */
function sampleTimes(p: CpuProfile): { at: Float64Array; weight: Float64Array } {
  const n = p.samples.length;
  const at = new Float64Array(n);
  const weight = new Float64Array(n);
  let t = 0;
  for (let i = 0; i < n; i++) {
    t += p.timeDeltas[i] ?? 0;
    at[i] = t;
  }
  for (let i = 0; i < n; i++) weight[i] = i + 1 < n ? (p.timeDeltas[i + 1] ?? 0) : 0;
  return { at, weight };
}

/**
 * The `seconds`-long window with the least idle time: under a closed-loop load the server is busiest
 * while measured, so this finds the measurement without the start-up, seeding and upload around it.
 */
export function busiestWindow(p: CpuProfile, seconds: number): { fromUs: number; toUs: number } {
  const idleIds = new Set(p.nodes.filter((n) => n.callFrame.functionName === IDLE).map((n) => n.id));
  const { at, weight } = sampleTimes(p);
  const span = seconds * 1e6;
  let best = { fromUs: 0, toUs: span, busy: -1 };
  let busy = 0;
  let lo = 0;
  for (let hi = 0; hi < at.length; hi++) {
    if (!idleIds.has(p.samples[hi] as number)) busy += weight[hi] as number;
    while ((at[hi] as number) - (at[lo] as number) > span) {
      if (!idleIds.has(p.samples[lo] as number)) busy -= weight[lo] as number;
      lo++;
    }
    if (busy > best.busy) best = { fromUs: at[lo] as number, toUs: at[hi] as number, busy };
  }
  return { fromUs: best.fromUs, toUs: best.toUs };
}

function sorted(map: Map<string, { self: number; total: number }>, busyUs: number): ProfileEntry[] {
  return [...map]
    .map(([name, v]) => ({ name, selfUs: v.self, totalUs: v.total }))
    .filter((e) => e.totalUs > busyUs * 0.001)
    .sort((a, b) => b.selfUs - a.selfUs);
}

/** Self and total time by function and by file over `[fromUs, toUs]` of the profile. */
export function summarizeProfile(p: CpuProfile, fromUs = 0, toUs = Infinity): ProfileSummary {
  const parent = new Map<number, number>();
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const fns = new Map<string, { self: number; total: number }>();
  const files = new Map<string, { self: number; total: number }>();
  const bump = (m: Map<string, { self: number; total: number }>, k: string, self: number, total: number) => {
    const e = m.get(k) ?? { self: 0, total: 0 };
    e.self += self;
    e.total += total;
    m.set(k, e);
  };
  const { at, weight } = sampleTimes(p);
  let busyUs = 0;
  for (let i = 0; i < p.samples.length; i++) {
    const t = at[i] as number;
    if (t < fromUs || t > toUs) continue;
    const w = weight[i] as number;
    const leaf = byId.get(p.samples[i] as number);
    if (!leaf || leaf.callFrame.functionName === IDLE) continue;
    busyUs += w;
    bump(fns, functionKey(leaf.callFrame), w, 0);
    bump(files, fileKey(leaf.callFrame.url), w, 0);
    // Total: every function and file on the stack once, however often it recurs.
    const seenFns = new Set<string>();
    const seenFiles = new Set<string>();
    for (let id: number | undefined = leaf.id; id !== undefined; id = parent.get(id)) {
      const frame = (byId.get(id) as CpuProfile['nodes'][number]).callFrame;
      const fk = functionKey(frame);
      const file = fileKey(frame.url);
      if (!seenFns.has(fk)) {
        seenFns.add(fk);
        bump(fns, fk, 0, w);
      }
      if (!seenFiles.has(file)) {
        seenFiles.add(file);
        bump(files, file, 0, w);
      }
    }
  }
  return { fromUs, toUs, busyUs, byFunction: sorted(fns, busyUs), byFile: sorted(files, busyUs) };
}

export function readProfile(path: string): CpuProfile {
  return JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
}

function table(entries: ProfileEntry[], busyUs: number, top: number): string {
  const pct = (us: number) => `${((100 * us) / busyUs).toFixed(1).padStart(5)}%`;
  return entries
    .slice(0, top)
    .map((e) => `${pct(e.selfUs)} self ${pct(e.totalUs)} total  ${e.name}`)
    .join('\n');
}

/**
 * `npx tsx bench/lib/cpuprofile.ts <file.cpuprofile> [--window S | --before-end A:B] [--top N]`: the
 * busiest S seconds, or the span from A to B seconds before the profile's end (e.g. the hold of a
 * `connections` run without its shutdown), or the whole profile, summed by function and by file as
 * shares of the busy time.
 */
if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const flag = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args.splice(i, 2)[1] : undefined;
  };
  const window = Number(flag('--window') ?? 0);
  const beforeEnd = flag('--before-end')?.split(':').map(Number);
  const top = Number(flag('--top') ?? 40);
  for (const path of args) {
    const profile = readProfile(path);
    const length = profile.endTime - profile.startTime;
    const span = beforeEnd
      ? { fromUs: length - (beforeEnd[0] ?? 0) * 1e6, toUs: length - (beforeEnd[1] ?? 0) * 1e6 }
      : window > 0
        ? busiestWindow(profile, window)
        : { fromUs: 0, toUs: Infinity };
    const s = summarizeProfile(profile, span.fromUs, span.toUs);
    const wall = (Math.min(s.toUs, length) - s.fromUs) / 1e6;
    console.log(`# ${path}: ${(s.busyUs / 1e6).toFixed(2)} s busy of ${wall.toFixed(2)} s`);
    console.log(`## by file\n${table(s.byFile, s.busyUs, top)}`);
    console.log(`## by function\n${table(s.byFunction, s.busyUs, top)}\n`);
  }
}
