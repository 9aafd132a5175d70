/**
 * Local ports a load agent picks itself for its connections, per source address, instead of letting
 * the kernel pick one on bind().
 *
 * Why: a socket bound to a source address (127.0.0.2, ...) with port 0 makes the kernel search the
 * ephemeral range for a free port on every connect, and on Linux 6.x that search grows with the
 * ports already bound (perf on a 100,000-connection ramp, 2026-11-30: 60 % of both vCPUs in
 * inet_bhash2_conflict / inet_bind2_bucket_find, 3-15 ms per bind() at 47,000 connections). The
 * agents' event loops then stall for tens of seconds, stop answering the server's pings, and the
 * server closes their connections (4005 heartbeat_timeout): the "waves" of drops. A bind() to a
 * given port is one hash lookup.
 *
 * The ports are taken outside the kernel's ephemeral range (`agentPorts`): Linux gives no socket
 * that did not bind a port one that some socket has bound, on any address, so agents cycling through
 * the ephemeral range left the machine's own outgoing connections (the benchmark's REST checks from
 * 127.0.0.1, the server's to PostgreSQL and NATS) without a free port during a 40,000-client storm
 * (EADDRNOTAVAIL). Below AGENT_PORT_FLOOR are the services' well-known ports.
 *
 * Agents share the source addresses, so agent `index` of `of` takes the ports of each range with
 * (port - first) % of === index. Within its share it goes round (the port freed longest ago is used
 * next), which keeps a port in TIME_WAIT out of use as long as the share allows.
 */
import { readFileSync } from 'node:fs';

export interface PortShare {
  index: number;
  of: number;
}

/** The kernel's ephemeral range, [first, last]: ports nothing listens on by default. */
export function ephemeralRange(): [number, number] {
  try {
    const [lo, hi] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/);
    return [Number(lo), Number(hi)];
  } catch {
    return [32768, 60999];
  }
}

/** Agents bind no port below this (PostgreSQL, NATS, Redis, MariaDB, Janus... listen there). */
export const AGENT_PORT_FLOOR = 10_000;

/** The ranges agents bind: above the floor, outside the kernel's ephemeral range. */
export function agentPortRanges([first, last]: [number, number] = ephemeralRange()): Array<[number, number]> {
  const ranges: Array<[number, number]> = [
    [AGENT_PORT_FLOOR, Math.min(first - 1, 65_535)],
    [Math.max(last + 1, AGENT_PORT_FLOOR), 65_535],
  ];
  return ranges.filter(([a, b]) => a <= b);
}

/** The ports of a share across the agents' ranges, in order. */
export function agentPorts(share: PortShare, ranges: Array<[number, number]> = agentPortRanges()): number[] {
  return ranges.flatMap(([a, b]) => portsOf(a, b, share));
}

/** The ports of [first, last] that belong to a share, in order. */
export function portsOf(first: number, last: number, share: PortShare): number[] {
  if (!(share.of >= 1 && share.index >= 0 && share.index < share.of))
    throw new Error(`bad port share ${share.index}/${share.of}`);
  const ports: number[] = [];
  for (let p = first + share.index; p <= last; p += share.of) ports.push(p);
  return ports;
}

export class LocalPorts {
  private readonly ports: Uint16Array;
  private readonly busy: Uint8Array[];
  private readonly cursor: number[];

  /** `start` picks each address's first port (an index into `ports`); random by default. */
  constructor(
    addresses: number,
    ports: number[],
    start: (n: number) => number = (n) => Math.floor(Math.random() * n),
  ) {
    this.ports = Uint16Array.from(ports);
    this.busy = Array.from({ length: addresses }, () => new Uint8Array(this.ports.length));
    // A random start: fleets running at once (the benchmarks' smoke tests) have the same shares, and
    // starting at the same port they would collide port after port.
    this.cursor = Array.from({ length: addresses }, () => start(this.ports.length));
  }

  /** Ports per address in this share. */
  get size(): number {
    return this.ports.length;
  }

  /**
   * A port of address `addr` none of our sockets holds, as an index into the share (for release),
   * or -1 when every port of the share is held (the caller lets the kernel choose).
   */
  take(addr: number): number {
    const busy = this.busy[addr]!;
    const n = this.ports.length;
    let i = this.cursor[addr]!;
    for (let tries = 0; tries < n; tries++, i = (i + 1) % n) {
      if (busy[i]) continue;
      busy[i] = 1;
      this.cursor[addr] = (i + 1) % n;
      return i;
    }
    return -1;
  }

  port(index: number): number {
    return this.ports[index]!;
  }

  release(addr: number, index: number): void {
    if (index >= 0) this.busy[addr]![index] = 0;
  }
}
