import { readdirSync, readFileSync } from 'node:fs';
import { clockTicks, parseStat } from '../load/server-probe.ts';

/**
 * CPU of the services a PostgreSQL + NATS run leans on, which the server's process tree does not
 * include: every `postgres` process (postmaster, backends, walwriter, checkpointer, ...) and
 * `nats-server`, plus the whole machine's busy time from /proc/stat. A scenario samples before and
 * after its window and reports the difference next to the server's own cores, so "µs per message"
 * can be given all-in. Linux only; on a machine without these services the figures are 0.
 *
 * A process that exits inside the window (a backend whose pool connection closed: node-pg closes a
 * connection idle for 10 s, e.g. in a scenario's drain) is gone from the second sample; its parent
 * (the postmaster) has then reaped it, and its CPU is in the parent's cutime + cstime. So the
 * window's CPU is each live process's growth, plus the growth of what the service's processes have
 * reaped, minus what the exited ones had used before the window (their whole time is reaped). A
 * process reaped outside the service (a restarted nats-server, whose parent is not counted) would
 * make that sum negative: it is then taken as 0, and the window counts the live processes alone.
 */

/** The services counted, by the kernel's command name (`/proc/<pid>/stat` field 2). */
export const SERVICE_COMMS: Readonly<Record<string, string>> = {
  postgres: 'postgres',
  'nats-server': 'nats',
};

export interface ServiceSample {
  /** performance.timeOrigin + performance.now() at the sample, ms. */
  atMs: number;
  /** CPU seconds by pid, per service name ('postgres', 'nats'). */
  byService: Record<string, Map<number, number>>;
  /** CPU seconds of the children each process has reaped (cutime + cstime), by pid, per service. */
  reapedByService: Record<string, Map<number, number>>;
  /** Busy (non-idle, non-iowait) seconds of the whole machine, all CPUs summed. */
  machineBusySeconds: number;
  /** iowait seconds of the whole machine. */
  machineIowaitSeconds: number;
}

export interface ServiceDelta {
  wallSeconds: number;
  /** CPU seconds used in the window, per service. */
  cpuSeconds: Record<string, number>;
  /** The same over the window's wall time: cores. */
  cores: Record<string, number>;
  /** The whole machine's busy cores over the window (everything: server, agents, services). */
  machineCores: number;
  machineIowaitCores: number;
}

/** Busy and iowait seconds from the `cpu ` line of a /proc/stat text (pure). */
export function parseProcStatCpu(text: string, ticks: number): { busy: number; iowait: number } {
  const line = text.split('\n').find((l) => l.startsWith('cpu '));
  if (!line) throw new Error('no cpu line in /proc/stat');
  // user nice system idle iowait irq softirq steal guest guest_nice; guest time is inside user.
  const f = line.trim().split(/\s+/).slice(1).map(Number);
  const [user = 0, nice = 0, system = 0, , iowait = 0, irq = 0, softirq = 0, steal = 0] = f;
  return { busy: (user + nice + system + irq + softirq + steal) / ticks, iowait: iowait / ticks };
}

function readOrNull(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/** One sample of the services' processes and the machine's CPU. */
export function sampleServices(): ServiceSample {
  const ticks = clockTicks();
  const byService: Record<string, Map<number, number>> = {};
  const reapedByService: Record<string, Map<number, number>> = {};
  for (const name of Object.values(SERVICE_COMMS)) {
    byService[name] = new Map();
    reapedByService[name] = new Map();
  }
  let names: string[] = [];
  try {
    names = readdirSync('/proc').filter((n) => /^\d+$/.test(n));
  } catch {
    // Not Linux: nothing to count.
  }
  for (const name of names) {
    const text = readOrNull(`/proc/${name}/stat`);
    if (!text) continue;
    const s = parseStat(text);
    const service = SERVICE_COMMS[s.comm];
    if (!service) continue;
    byService[service]?.set(s.pid, s.ticks / ticks);
    reapedByService[service]?.set(s.pid, s.childTicks / ticks);
  }
  const stat = readOrNull('/proc/stat');
  const machine = stat ? parseProcStatCpu(stat, ticks) : { busy: 0, iowait: 0 };
  return {
    atMs: performance.timeOrigin + performance.now(),
    byService,
    reapedByService,
    machineBusySeconds: machine.busy,
    machineIowaitSeconds: machine.iowait,
  };
}

/**
 * CPU used between two samples, per service: for each process in `after`, its time minus its time
 * in `before` (all of it for a process started in the window); plus the growth of the time of
 * reaped children, less the time before the window of the processes that exited in it.
 */
export function diffServices(before: ServiceSample, after: ServiceSample): ServiceDelta {
  const wallSeconds = Math.max(1e-9, (after.atMs - before.atMs) / 1000);
  const cpuSeconds: Record<string, number> = {};
  const cores: Record<string, number> = {};
  for (const [service, procs] of Object.entries(after.byService)) {
    const prior = before.byService[service] ?? new Map<number, number>();
    let used = 0;
    for (const [pid, seconds] of procs) used += Math.max(0, seconds - (prior.get(pid) ?? 0));
    const reapedBefore = before.reapedByService[service] ?? new Map<number, number>();
    const reapedAfter = after.reapedByService[service] ?? new Map<number, number>();
    let reaped = 0;
    for (const [pid, seconds] of reapedAfter) reaped += Math.max(0, seconds - (reapedBefore.get(pid) ?? 0));
    for (const [pid, seconds] of prior) if (!procs.has(pid)) reaped -= seconds;
    used += Math.max(0, reaped);
    cpuSeconds[service] = Number(used.toFixed(3));
    cores[service] = Number((used / wallSeconds).toFixed(3));
  }
  return {
    wallSeconds,
    cpuSeconds,
    cores,
    machineCores: Number(((after.machineBusySeconds - before.machineBusySeconds) / wallSeconds).toFixed(3)),
    machineIowaitCores: Number(
      ((after.machineIowaitSeconds - before.machineIowaitSeconds) / wallSeconds).toFixed(3),
    ),
  };
}

/**
 * The fields a throughput line adds: the services' cores and the all-in CPU per acknowledged
 * message (server + services; the agents are the load generator and left out), µs.
 */
export function serviceCpuLine(delta: ServiceDelta, serverCpuSeconds: number, acked: number) {
  const services = Object.values(delta.cpuSeconds).reduce((a, b) => a + b, 0);
  return {
    serviceCpuCores: delta.cores,
    machineCpuCores: delta.machineCores,
    machineIowaitCores: delta.machineIowaitCores,
    allInCpuUsPerMessage: acked > 0 ? Math.round(((serverCpuSeconds + services) * 1e6) / acked) : null,
  };
}
