import { describe, expect, it } from 'vitest';
import { agentPortRanges, agentPorts, LocalPorts, portsOf } from './local-ports.ts';

describe('local ports of a load agent', () => {
  it('splits the range between agents without overlap', () => {
    const a = portsOf(100, 109, { index: 0, of: 3 });
    const b = portsOf(100, 109, { index: 1, of: 3 });
    const c = portsOf(100, 109, { index: 2, of: 3 });
    expect(a).toEqual([100, 103, 106, 109]);
    expect(b).toEqual([101, 104, 107]);
    expect(c).toEqual([102, 105, 108]);
    expect(() => portsOf(100, 109, { index: 3, of: 3 })).toThrow(/bad port share/);
  });

  it('goes round the share per address, reusing the port freed longest ago, and says when all are held', () => {
    const ports = new LocalPorts(2, [10, 20, 30], () => 0);
    const taken = [ports.take(0), ports.take(0), ports.take(0)];
    expect(taken.map((i) => ports.port(i))).toEqual([10, 20, 30]);
    expect(ports.take(0)).toBe(-1);
    // Another address has its own ports.
    expect(ports.port(ports.take(1))).toBe(10);
    ports.release(0, taken[1]!);
    ports.release(0, taken[0]!);
    // The cursor goes on from where it was: 10 (freed after 20, but first in the round) then 20.
    expect(ports.port(ports.take(0))).toBe(10);
    expect(ports.port(ports.take(0))).toBe(20);
    expect(ports.take(0)).toBe(-1);
  });

  it('starts each address at a port of its own choosing, so fleets running at once do not march in step', () => {
    const ports = new LocalPorts(2, [10, 20, 30, 40], (n) => n - 1);
    expect(ports.port(ports.take(0))).toBe(40);
    expect(ports.port(ports.take(0))).toBe(10);
  });
});

describe('agentPorts', () => {
  it('takes ports above the services and outside the kernel’s ephemeral range', () => {
    expect(agentPortRanges([32768, 60999])).toEqual([
      [10000, 32767],
      [61000, 65535],
    ]);
    expect(agentPortRanges([1024, 65535])).toEqual([]);
    const ports = agentPorts({ index: 1, of: 4 }, agentPortRanges([32768, 60999]));
    expect(ports.every((p) => p >= 10000 && (p < 32768 || p > 60999))).toBe(true);
    expect(ports.slice(0, 2)).toEqual([10001, 10005]);
    expect(ports).toContain(61001);
  });
});
