import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, connect, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import {
  diffServer,
  kernelSocketMemory,
  machineLoad,
  outsideLoad,
  parseLoadavg,
  parseSlabinfo,
  parseSockstat,
  parseStat,
  parseVmRss,
  sampleServer,
  serverKernelShare,
  socketMemoryOf,
  type MachineLoad,
} from './server-probe.ts';

const SLABINFO = `slabinfo - version: 2.1
# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab> : tunables <limit> <batchcount> <sharedfactor> : slabdata <active_slabs> <num_slabs> <sharedavail>
TCP                  137    182   2368   13    8 : tunables    0    0    0 : slabdata     14     14      0
request_sock_TCP      24     24    320   12    1 : tunables    0    0    0 : slabdata      2      2      0
sock_inode_cache     212    285    832   19    4 : tunables    0    0    0 : slabdata     15     15      0
tcp_bind_bucket       64    128     64   64    1 : tunables    0    0    0 : slabdata      2      2      0
kmalloc-64          9000   9000     64   64    1 : tunables    0    0    0 : slabdata    140    140      0
`;

const SOCKSTAT = `sockets: used 72
TCP: inuse 22 orphan 1 tw 80 alloc 25 mem 42
UDP: inuse 0 mem 0
`;

function load(over: Partial<MachineLoad> & { inuse?: number }): MachineLoad {
  const sockstat = parseSockstat(SOCKSTAT);
  sockstat.tcp.inuse = over.inuse ?? 10;
  return { load1: 0.1, load5: 0.1, load15: 0.1, running: 1, threads: 200, cpus: 2, sockstat, ...over };
}

describe('server probe parsers', () => {
  it('reads utime + stime and the parent from a stat line whose name holds spaces and parentheses', () => {
    const line =
      '4242 (node (worker) 1) S 4200 4242 4200 0 -1 4194560 100 0 0 0 150 37 0 0 20 0 11 0 500 1000 2000';
    expect(parseStat(line)).toEqual({
      pid: 4242,
      ppid: 4200,
      comm: 'node (worker) 1',
      ticks: 187,
      childTicks: 0,
    });
  });

  it('reads VmRSS in bytes and treats a zombie without one as 0', () => {
    expect(parseVmRss('Name:\tnode\nVmRSS:\t  123456 kB\nThreads:\t11\n')).toBe(123456 * 1024);
    expect(parseVmRss('Name:\tnode\nState:\tZ (zombie)\n')).toBe(0);
  });

  it('parses slab caches with their object and page sizes', () => {
    const tcp = parseSlabinfo(SLABINFO, 4096).get('TCP');
    expect(tcp).toEqual({
      name: 'TCP',
      activeObjs: 137,
      numObjs: 182,
      objSize: 2368,
      slabBytes: 14 * 8 * 4096,
    });
  });

  it('counts socket caches and buffer pages, not generic caches', () => {
    const mem = socketMemoryOf(SLABINFO, SOCKSTAT, 4096);
    const objects = 137 * 2368 + 24 * 320 + 212 * 832 + 64 * 64;
    expect(mem.objectBytes).toBe(objects);
    expect(mem.bindBucketBytes).toBe(64 * 64);
    expect(mem.bufferBytes).toBe(42 * 4096);
    expect(mem.totalBytes).toBe(objects + 42 * 4096);
    expect(mem.caches['kmalloc-64']).toBeUndefined();
    expect(mem.tcp).toEqual({ inuse: 22, orphan: 1, tw: 80, alloc: 25, memPages: 42 });
  });

  it('gives the server half of the growth, without the clients’ bind buckets', () => {
    const before = socketMemoryOf(SLABINFO, SOCKSTAT, 4096);
    const grown = SLABINFO.replace('TCP                  137', 'TCP                  337').replace(
      'tcp_bind_bucket       64',
      'tcp_bind_bucket      164',
    );
    const after = socketMemoryOf(grown, SOCKSTAT.replace('inuse 22', 'inuse 222'), 4096);
    expect(serverKernelShare(before, after)).toEqual({ bytes: (200 * 2368) / 2, sockets: 200 });
  });

  it('parses /proc/loadavg and refuses a busy machine with reasons', () => {
    expect(parseLoadavg('9.30 3.76 1.47 6/270 14599\n')).toEqual({
      load1: 9.3,
      load5: 3.76,
      load15: 1.47,
      running: 6,
      threads: 270,
    });
    expect(outsideLoad(load({}))).toEqual([]);
    expect(outsideLoad(load({ load1: 1.5 }))).toHaveLength(1);
    expect(outsideLoad(load({ inuse: 5000 }))[0]).toContain('5000 TCP sockets');
    expect(outsideLoad(load({ load1: 1.5 }), { maxLoadPerCpu: 1 })).toEqual([]);
  });
});

describe('server probe on this machine', () => {
  it('samples a process tree: the children, their CPU time, RSS and open files', async () => {
    const child = spawn(process.execPath, [
      '-e',
      // Busy for 300 ms of its own CPU time (not wall time: the machine may be loaded), then idle.
      'while (process.cpuUsage().user < 300000); console.log("busy"); setInterval(() => {}, 1000);',
    ]);
    try {
      await new Promise((r) => child.stdout.once('data', r));
      const sample = sampleServer(process.pid);
      const mine = sample.processes.find((p) => p.pid === process.pid);
      const theirs = sample.processes.find((p) => p.pid === child.pid);
      expect(mine?.rssBytes).toBeGreaterThan(10 * 1024 * 1024);
      expect(theirs?.ppid).toBe(process.pid);
      expect(theirs?.cpuSeconds).toBeGreaterThanOrEqual(0.2);
      expect(theirs?.fds).toBeGreaterThanOrEqual(3);
      expect(sample.rssBytes).toBeGreaterThanOrEqual((mine?.rssBytes ?? 0) + (theirs?.rssBytes ?? 0));
      const later = sampleServer(process.pid);
      const delta = diffServer(sample, later);
      expect(delta.cpuSeconds).toBeGreaterThanOrEqual(0);
      expect(delta.wallSeconds).toBeGreaterThan(0);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('sees the fds and kernel sockets of 200 loopback connections', async () => {
    const server = createServer(() => {});
    const accepted: Socket[] = [];
    server.on('connection', (s) => accepted.push(s));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    const canReadSlabs = existsSync('/proc/slabinfo') && process.getuid?.() === 0;
    const memBefore = canReadSlabs ? kernelSocketMemory() : undefined;
    const before = sampleServer(process.pid);
    const clients = await Promise.all(
      Array.from(
        { length: 200 },
        () =>
          new Promise<Socket>((resolve, reject) => {
            const s = connect(port, '127.0.0.1', () => resolve(s));
            s.on('error', reject);
          }),
      ),
    );
    while (accepted.length < 200) await new Promise((r) => setTimeout(r, 10));
    try {
      const after = sampleServer(process.pid);
      // Both ends are in this process; a few unrelated fds of the test runner may close meanwhile.
      expect(diffServer(before, after).fds).toBeGreaterThanOrEqual(395);
      if (memBefore) {
        const share = serverKernelShare(memBefore, kernelSocketMemory());
        expect(share.sockets).toBeGreaterThanOrEqual(300);
        // One server-side socket is at least its TCP object (over 1 KiB on any kernel).
        expect(share.bytes / 200).toBeGreaterThan(1024);
      }
      expect(machineLoad().sockstat.tcp.inuse).toBeGreaterThanOrEqual(400);
    } finally {
      for (const s of [...clients, ...accepted]) s.destroy();
      await new Promise((r) => server.close(r));
    }
  });
});
