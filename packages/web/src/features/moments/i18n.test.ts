import { describe, expect, it } from 'vitest';
import en from '../../i18n/en/moments.ts';
import zh from '../../i18n/zh-CN/moments.ts';

function keys(tree: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([k, v]) =>
    typeof v === 'object' && v !== null
      ? keys(v as Record<string, unknown>, `${prefix}${k}.`)
      : [`${prefix}${k}`],
  );
}

describe('moments strings', () => {
  it('has every Chinese string in English too, and no other', () => {
    expect(keys(en).sort()).toEqual(keys(zh).sort());
  });

  it('names every moments error code the protocol defines', async () => {
    const { ErrorCatalog } = await import('@zhixin/protocol');
    const codes = Object.keys(ErrorCatalog).filter((c) => c.startsWith('MOMENT_'));
    expect(codes.length).toBeGreaterThan(0);
    for (const code of codes) expect(Object.keys(zh.errors)).toContain(code);
  });
});
