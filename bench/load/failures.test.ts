import { describe, expect, it } from 'vitest';
import { addSample } from './failures.ts';

describe('failure samples', () => {
  it('keeps a few of each kind, so an early burst of one kind does not hide the first drops', () => {
    const samples: string[] = [];
    for (let i = 0; i < 10; i++) addSample(samples, `authRejected: server closed 4003 auth_timeout ${i}`);
    addSample(samples, 'dropped: server closed 4005 heartbeat_timeout');
    expect(samples).toEqual([
      'authRejected: server closed 4003 auth_timeout 0',
      'authRejected: server closed 4003 auth_timeout 1',
      'authRejected: server closed 4003 auth_timeout 2',
      'dropped: server closed 4005 heartbeat_timeout',
    ]);
  });

  it('stops at the overall maximum', () => {
    const samples: string[] = [];
    for (let i = 0; i < 10; i++) addSample(samples, `kind${i}: x`, 3, 4);
    expect(samples).toHaveLength(4);
  });
});
