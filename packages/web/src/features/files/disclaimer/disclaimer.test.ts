import { describe, expect, it } from 'vitest';
import { disclaimerApplies } from './applies.ts';

const d = (enabled: boolean, scope: 'crossTerminal' | 'allFiles') => ({
  enabled,
  scope,
  text: '注意',
  version: 1,
});

describe('disclaimerApplies', () => {
  it('never applies when the operator turned it off', () => {
    expect(disclaimerApplies(d(false, 'allFiles'), true)).toBe(false);
  });
  it('applies to the file transfer assistant only, for the cross-terminal scope', () => {
    expect(disclaimerApplies(d(true, 'crossTerminal'), true)).toBe(true);
    expect(disclaimerApplies(d(true, 'crossTerminal'), false)).toBe(false);
  });
  it('applies to every chat for the all-files scope', () => {
    expect(disclaimerApplies(d(true, 'allFiles'), false)).toBe(true);
  });
});
