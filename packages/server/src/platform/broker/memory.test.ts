import { describe, expect, it } from 'vitest';
import { subjectMatches } from './broker.ts';

describe('subjectMatches', () => {
  it('follows NATS wildcard rules', () => {
    expect(subjectMatches('zx.node.a', 'zx.node.a')).toBe(true);
    expect(subjectMatches('zx.node.*', 'zx.node.a')).toBe(true);
    expect(subjectMatches('zx.node.*', 'zx.node.a.b')).toBe(false);
    expect(subjectMatches('zx.>', 'zx.node.a.b')).toBe(true);
    expect(subjectMatches('zx.>', 'zx')).toBe(false);
    expect(subjectMatches('zx.node', 'zx.node.a')).toBe(false);
  });
});
