import { describe, expect, it } from 'vitest';
import { LocalPorts, portsOf } from './local-ports.ts';

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
    const ports = new LocalPorts(2, [10, 20, 30]);
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
});
