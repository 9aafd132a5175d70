import { describe, expect, it } from 'vitest';
import { diffServices, parseProcStatCpu, serviceCpuLine, type ServiceSample } from './service-cpu.ts';

const sample = (
  atMs: number,
  postgres: Array<[number, number]>,
  nats: Array<[number, number]>,
  busy: number,
) =>
  ({
    atMs,
    byService: { postgres: new Map(postgres), nats: new Map(nats) },
    reapedByService: {},
    machineBusySeconds: busy,
    machineIowaitSeconds: 0,
  }) satisfies ServiceSample;

describe('service CPU', () => {
  it('reads busy and iowait seconds from the cpu line of /proc/stat', () => {
    const text = 'cpu  100 20 30 5000 40 5 5 0 0 0\ncpu0 50 10 15 2500 20 2 3 0 0 0\n';
    expect(parseProcStatCpu(text, 100)).toEqual({ busy: 1.6, iowait: 0.4 });
  });

  it('sums the growth of every process per service, counting a process started in the window whole', () => {
    const before = sample(
      0,
      [
        [10, 5],
        [11, 1],
      ],
      [[20, 2]],
      100,
    );
    const after = sample(
      10_000,
      [
        [10, 7],
        [11, 1.5],
        [12, 0.5],
      ],
      [[20, 2.1]],
      120,
    );
    const delta = diffServices(before, after);
    expect(delta.cpuSeconds).toEqual({ postgres: 3, nats: 0.1 });
    expect(delta.cores).toEqual({ postgres: 0.3, nats: 0.01 });
    expect(delta.machineCores).toBe(2);
    expect(serviceCpuLine(delta, 4, 1000).allInCpuUsPerMessage).toBe(7100);
    expect(serviceCpuLine(delta, 4, 0).allInCpuUsPerMessage).toBeNull();
  });

  it("counts the window's share of a process that exited in it, from its parent's reaped time", () => {
    // Backend 11 had used 1 s before the window and exits in it after 2 s more; the postmaster (10)
    // reaps it (its reaped time grows by all 3 s). Backend 13 starts and exits inside the window (0.5 s).
    const before = {
      ...sample(
        0,
        [
          [10, 5],
          [11, 1],
        ],
        [],
        0,
      ),
      reapedByService: {
        postgres: new Map([
          [10, 4],
          [11, 0],
        ]),
      },
    };
    const after = {
      ...sample(
        10_000,
        [
          [10, 5.25],
          [12, 0.25],
        ],
        [],
        0,
      ),
      reapedByService: {
        postgres: new Map([
          [10, 7.5],
          [12, 0],
        ]),
      },
    };
    expect(diffServices(before, after).cpuSeconds.postgres).toBe(3);
  });
});
