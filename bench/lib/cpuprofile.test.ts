import { describe, expect, it } from 'vitest';
import { busiestWindow, summarizeProfile, type CpuProfile } from './cpuprofile.ts';

const frame = (functionName: string, url: string) => ({ functionName, url, lineNumber: 0 });

/**
 * root → send (send.service.ts) → seal (keyring.ts) → seal (recursing), and root → (idle). Samples
 * every 1,000 µs: 2 s idle, then 1 s busy (send self, seal, recursion), then 1 s idle.
 */
function profile(): CpuProfile {
  const base = 'file:///work/main/packages/server/src';
  const nodes = [
    { id: 1, callFrame: frame('(root)', ''), children: [2, 3] },
    { id: 2, callFrame: frame('(idle)', ''), children: [] },
    { id: 3, callFrame: frame('send', `${base}/modules/messages/send.service.ts`), children: [4] },
    { id: 4, callFrame: frame('seal', `${base}/platform/crypto/keyring.ts`), children: [5] },
    { id: 5, callFrame: frame('seal', `${base}/platform/crypto/keyring.ts`), children: [] },
  ];
  const samples: number[] = [];
  for (let i = 0; i < 2000; i++) samples.push(2);
  for (let i = 0; i < 1000; i++) samples.push(i < 500 ? 3 : i < 750 ? 4 : 5);
  for (let i = 0; i < 1000; i++) samples.push(2);
  return { nodes, startTime: 0, endTime: 4e6, samples, timeDeltas: samples.map(() => 1000) };
}

describe('summing a V8 cpu profile', () => {
  it('finds the busy second and splits it into self and total time by function and by file', () => {
    const p = profile();
    const window = busiestWindow(p, 1);
    expect(window.fromUs).toBeGreaterThanOrEqual(2e6);
    expect(window.toUs).toBeLessThanOrEqual(3.001e6);
    const s = summarizeProfile(p, window.fromUs, window.toUs);
    expect(s.busyUs).toBe(1e6);
    const fn = (name: string) => s.byFunction.find((e) => e.name.startsWith(name));
    expect(fn('send')).toMatchObject({ selfUs: 500_000, totalUs: 1e6 });
    // The recursion is counted once in the total.
    expect(fn('seal')).toMatchObject({ selfUs: 500_000, totalUs: 500_000 });
    expect(s.byFile.map((e) => e.name)).toEqual(
      expect.arrayContaining([
        'packages/server/src/modules/messages/send.service.ts',
        'packages/server/src/platform/crypto/keyring.ts',
      ]),
    );
    expect(s.byFunction.some((e) => e.name.startsWith('(idle)'))).toBe(false);
  });
});
