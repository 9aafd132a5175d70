import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/**
 * Measurement of a running server from the outside, through /proc (Linux): the process tree's CPU
 * time, RSS and open files, the kernel memory TCP sockets hold, and the machine's load. Scenarios
 * sample before and after a run and report the difference; they refuse runs started under outside
 * load (see `outsideLoad`).
 *
 * Attribution on loopback: the load generator runs on this machine, so every connection is two TCP
 * sockets here, the client's and the server's, in the same slab caches and counted by the same
 * sockstat `mem`. `serverKernelShare` gives the server half of the growth of the per-socket caches
 * and TCP buffer pages; bind buckets are left out of it entirely, because only the client side binds
 * a port per connection (the server's listener has one bucket for all of them).
 */

export interface ProcessSample {
  pid: number;
  ppid: number;
  /** The executable's name as the kernel knows it (`node`, `esbuild`, ...). */
  comm: string;
  /** utime + stime, seconds. */
  cpuSeconds: number;
  /** VmRSS, bytes. */
  rssBytes: number;
  /**
   * Proportional set size (smaps_rollup), bytes: pages shared with other processes (the node binary,
   * libraries, copy-on-write pages of a forked worker) count a share each, so a sum over cluster
   * workers counts them once. The memory figure of a many-process server; 0 if unreadable.
   */
  pssBytes: number;
  /** Entries of /proc/<pid>/fd (sockets, files, pipes, the epoll fd). */
  fds: number;
}

export interface ServerSample {
  /** performance.timeOrigin + performance.now() at the sample, ms. */
  atMs: number;
  rootPid: number;
  processes: ProcessSample[];
  cpuSeconds: number;
  rssBytes: number;
  pssBytes: number;
  fds: number;
}

export interface SlabCache {
  name: string;
  activeObjs: number;
  numObjs: number;
  objSize: number;
  /** Pages the cache's slabs occupy (num_slabs x pages_per_slab x page size), bytes. */
  slabBytes: number;
}

export interface SockstatTcp {
  inuse: number;
  orphan: number;
  tw: number;
  alloc: number;
  /** Pages of socket buffers (send + receive queues) of all TCP sockets. */
  memPages: number;
}

export interface Sockstat {
  socketsUsed: number;
  tcp: SockstatTcp;
}

export interface KernelSocketMemory {
  /** Per cache: active objects x object size, bytes (only the caches that exist on this kernel). */
  caches: Record<string, { objects: number; bytes: number }>;
  /** Sum of `caches` bytes. */
  objectBytes: number;
  /** Of `objectBytes`, what bind buckets hold (client side on loopback, see the file comment). */
  bindBucketBytes: number;
  /** TCP socket buffers (sockstat `mem` x page size), bytes. */
  bufferBytes: number;
  /** objectBytes + bufferBytes. */
  totalBytes: number;
  tcp: SockstatTcp;
}

export interface MachineLoad {
  load1: number;
  load5: number;
  load15: number;
  /** Runnable scheduling entities now / all of them (the fourth field of /proc/loadavg). */
  running: number;
  threads: number;
  cpus: number;
  sockstat: Sockstat;
}

/**
 * Slab caches that grow by one or more objects per TCP connection: the socket itself, its inode,
 * half-open and TIME_WAIT sockets, bind buckets, and what every open fd costs (the file, its dentry,
 * the epoll registration). Caches missing here (merged into a generic one by SLUB) are skipped.
 */
export const SOCKET_CACHES = [
  'TCP',
  'TCPv6',
  'sock_inode_cache',
  'request_sock_TCP',
  'request_sock_TCPv6',
  'tw_sock_TCP',
  'tw_sock_TCPv6',
  'tcp_bind_bucket',
  'tcp_bind2_bucket',
  'filp',
  'dentry',
  'eventpoll_epi',
  'eventpoll_pwq',
] as const;

const BIND_BUCKET_CACHES = new Set(['tcp_bind_bucket', 'tcp_bind2_bucket']);

let cachedClockTicks: number | undefined;
let cachedPageSize: number | undefined;

function getconf(name: string, fallback: number): number {
  try {
    const value = Number(execFileSync('getconf', [name], { encoding: 'utf8' }).trim());
    return Number.isFinite(value) && value > 0 ? value : fallback;
  } catch {
    return fallback;
  }
}

/** Clock ticks per second of /proc CPU times (`getconf CLK_TCK`, 100 on Linux). */
export function clockTicks(): number {
  return (cachedClockTicks ??= getconf('CLK_TCK', 100));
}

export function pageSize(): number {
  return (cachedPageSize ??= getconf('PAGESIZE', 4096));
}

function readOrNull(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    // The process exited between listing and reading.
    return null;
  }
}

/** pid, ppid, comm and CPU ticks (utime + stime) from the text of /proc/<pid>/stat. */
export function parseStat(text: string): {
  pid: number;
  ppid: number;
  comm: string;
  ticks: number;
  childTicks: number;
} {
  // comm may hold spaces and parentheses: it ends at the last ')'.
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) throw new Error(`not a /proc stat line: ${text.slice(0, 80)}`);
  const rest = text
    .slice(close + 2)
    .trim()
    .split(/\s+/);
  // rest[0] is field 3 (state); utime and stime are fields 14 and 15; cutime and cstime (the
  // children it has reaped) 16 and 17.
  return {
    pid: Number(text.slice(0, open).trim()),
    ppid: Number(rest[1]),
    comm: text.slice(open + 1, close),
    ticks: Number(rest[11]) + Number(rest[12]),
    childTicks: Number(rest[13]) + Number(rest[14]),
  };
}

/** Pss of a /proc/<pid>/smaps_rollup text, bytes (0 when absent). */
export function parsePss(rollup: string): number {
  const m = /^Pss:\s+(\d+)\s+kB$/m.exec(rollup);
  return m ? Number(m[1]) * 1024 : 0;
}

/** VmRSS of a /proc/<pid>/status text, bytes (0 for a zombie, which has none). */
export function parseVmRss(status: string): number {
  const m = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
  return m ? Number(m[1]) * 1024 : 0;
}

function countFds(pid: number): number {
  try {
    return readdirSync(`/proc/${pid}/fd`).length;
  } catch {
    return 0;
  }
}

/** pid -> parent pid of every process now. */
function processParents(): Map<number, number> {
  const parents = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = readOrNull(`/proc/${name}/stat`);
    if (stat) parents.set(Number(name), parseStat(stat).ppid);
  }
  return parents;
}

/** rootPid and every process below it (cluster workers, their helpers). */
export function processTree(rootPid: number): number[] {
  const children = new Map<number, number[]>();
  for (const [pid, ppid] of processParents()) {
    let list = children.get(ppid);
    if (!list) children.set(ppid, (list = []));
    list.push(pid);
  }
  const tree: number[] = [];
  const todo = [rootPid];
  while (todo.length) {
    const pid = todo.pop() as number;
    tree.push(pid);
    todo.push(...(children.get(pid) ?? []));
  }
  return tree;
}

/** One sample of a server: every process in the tree under rootPid, and their sums. */
export function sampleServer(rootPid: number): ServerSample {
  const ticks = clockTicks();
  const processes: ProcessSample[] = [];
  for (const pid of processTree(rootPid)) {
    const stat = readOrNull(`/proc/${pid}/stat`);
    const status = readOrNull(`/proc/${pid}/status`);
    if (!stat || !status) continue;
    const s = parseStat(stat);
    processes.push({
      pid,
      ppid: s.ppid,
      comm: s.comm,
      cpuSeconds: s.ticks / ticks,
      rssBytes: parseVmRss(status),
      pssBytes: parsePss(readOrNull(`/proc/${pid}/smaps_rollup`) ?? ''),
      fds: countFds(pid),
    });
  }
  if (!processes.some((p) => p.pid === rootPid)) throw new Error(`no process ${rootPid}`);
  return {
    atMs: performance.timeOrigin + performance.now(),
    rootPid,
    processes,
    cpuSeconds: processes.reduce((sum, p) => sum + p.cpuSeconds, 0),
    rssBytes: processes.reduce((sum, p) => sum + p.rssBytes, 0),
    pssBytes: processes.reduce((sum, p) => sum + p.pssBytes, 0),
    fds: processes.reduce((sum, p) => sum + p.fds, 0),
  };
}

export interface ServerDelta {
  wallSeconds: number;
  /** CPU seconds the tree spent between the samples (processes that came later count from 0). */
  cpuSeconds: number;
  /** cpuSeconds / wallSeconds: 1 = one core busy. */
  cores: number;
  rssBytes: number;
  pssBytes: number;
  fds: number;
}

/** What the server spent and grew by between two samples of the same tree. */
export function diffServer(before: ServerSample, after: ServerSample): ServerDelta {
  const cpuBefore = new Map(before.processes.map((p) => [p.pid, p.cpuSeconds]));
  let cpuSeconds = 0;
  for (const p of after.processes) cpuSeconds += Math.max(0, p.cpuSeconds - (cpuBefore.get(p.pid) ?? 0));
  const wallSeconds = (after.atMs - before.atMs) / 1000;
  return {
    wallSeconds,
    cpuSeconds,
    cores: wallSeconds > 0 ? cpuSeconds / wallSeconds : 0,
    rssBytes: after.rssBytes - before.rssBytes,
    pssBytes: after.pssBytes - before.pssBytes,
    fds: after.fds - before.fds,
  };
}

/** The caches of /proc/slabinfo (version 2.1), by name. */
export function parseSlabinfo(text: string, page = pageSize()): Map<string, SlabCache> {
  const caches = new Map<string, SlabCache>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('slabinfo') || line.startsWith('#')) continue;
    const [head, , slabdata] = line.split(' : ');
    const f = (head ?? '').trim().split(/\s+/);
    const d = (slabdata ?? '').trim().split(/\s+/);
    if (f.length < 6) continue;
    const name = f[0] as string;
    caches.set(name, {
      name,
      activeObjs: Number(f[1]),
      numObjs: Number(f[2]),
      objSize: Number(f[3]),
      slabBytes: Number(d[2] ?? 0) * Number(f[5]) * page,
    });
  }
  return caches;
}

/** /proc/net/sockstat's socket count and TCP line. */
export function parseSockstat(text: string): Sockstat {
  const used = /^sockets: used (\d+)/m.exec(text);
  const tcpLine = /^TCP: (.*)$/m.exec(text)?.[1] ?? '';
  const field = (key: string) => Number(new RegExp(`\\b${key} (\\d+)`).exec(tcpLine)?.[1] ?? 0);
  return {
    socketsUsed: Number(used?.[1] ?? 0),
    tcp: {
      inuse: field('inuse'),
      orphan: field('orphan'),
      tw: field('tw'),
      alloc: field('alloc'),
      memPages: field('mem'),
    },
  };
}

/** Kernel memory of TCP sockets from slabinfo and sockstat texts (pure; see kernelSocketMemory). */
export function socketMemoryOf(slabinfo: string, sockstat: string, page = pageSize()): KernelSocketMemory {
  const slabs = parseSlabinfo(slabinfo, page);
  const caches: KernelSocketMemory['caches'] = {};
  let objectBytes = 0;
  let bindBucketBytes = 0;
  for (const name of SOCKET_CACHES) {
    const c = slabs.get(name);
    if (!c) continue;
    const bytes = c.activeObjs * c.objSize;
    caches[name] = { objects: c.activeObjs, bytes };
    objectBytes += bytes;
    if (BIND_BUCKET_CACHES.has(name)) bindBucketBytes += bytes;
  }
  const tcp = parseSockstat(sockstat).tcp;
  const bufferBytes = tcp.memPages * page;
  return { caches, objectBytes, bindBucketBytes, bufferBytes, totalBytes: objectBytes + bufferBytes, tcp };
}

/**
 * The kernel memory TCP sockets (and their fds) use now, machine-wide. /proc/slabinfo is readable
 * by root only; elsewhere this throws, and a scenario reports user-space memory alone.
 */
export function kernelSocketMemory(): KernelSocketMemory {
  return socketMemoryOf(readFileSync('/proc/slabinfo', 'utf8'), readFileSync('/proc/net/sockstat', 'utf8'));
}

export interface KernelShare {
  /** Bytes of kernel memory attributed to the server's sockets. */
  bytes: number;
  /** Growth of the TCP sockets in use (both ends). */
  sockets: number;
}

/**
 * The server's share of the kernel socket memory that grew between two machine-wide samples taken
 * around opening connections over loopback: half of everything but the bind buckets (both ends are
 * sockets here; only clients bind a port each), see the file comment.
 */
export function serverKernelShare(before: KernelSocketMemory, after: KernelSocketMemory): KernelShare {
  const grown = after.totalBytes - before.totalBytes;
  const bindGrown = after.bindBucketBytes - before.bindBucketBytes;
  return { bytes: (grown - bindGrown) / 2, sockets: after.tcp.inuse - before.tcp.inuse };
}

/** /proc/loadavg parsed. */
export function parseLoadavg(text: string): Omit<MachineLoad, 'cpus' | 'sockstat'> {
  const [l1, l5, l15, sched] = text.trim().split(/\s+/);
  const [running, threads] = (sched ?? '0/0').split('/');
  return {
    load1: Number(l1),
    load5: Number(l5),
    load15: Number(l15),
    running: Number(running),
    threads: Number(threads),
  };
}

/** The machine's load and socket counts now. */
export function machineLoad(): MachineLoad {
  const cpus = readFileSync('/proc/cpuinfo', 'utf8').match(/^processor\s*:/gm)?.length ?? 1;
  return {
    ...parseLoadavg(readFileSync('/proc/loadavg', 'utf8')),
    cpus,
    sockstat: parseSockstat(readFileSync('/proc/net/sockstat', 'utf8')),
  };
}

export interface QuietLimits {
  /** Most 1-minute load average per CPU (default 0.5: half the machine busy before we start). */
  maxLoadPerCpu?: number;
  /** Most TCP sockets in use beside the run's own (default 2,000). */
  maxTcpInUse?: number;
}

/**
 * Why a run should not start (or its result be kept): reasons, empty when the machine is quiet.
 * Taken before a run, it catches another benchmark or build holding the cores or the sockets.
 */
export function outsideLoad(load: MachineLoad, limits: QuietLimits = {}): string[] {
  const reasons: string[] = [];
  const maxLoad = (limits.maxLoadPerCpu ?? 0.5) * load.cpus;
  if (load.load1 > maxLoad)
    reasons.push(`1-minute load average ${load.load1} exceeds ${maxLoad} (${load.cpus} CPUs)`);
  const maxTcp = limits.maxTcpInUse ?? 2000;
  if (load.sockstat.tcp.inuse > maxTcp)
    reasons.push(`${load.sockstat.tcp.inuse} TCP sockets already in use (more than ${maxTcp})`);
  return reasons;
}
