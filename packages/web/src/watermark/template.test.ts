import { describe, expect, it } from 'vitest';
import { watermarkLines } from './text.ts';
import { DEFAULT_WATERMARK_TEMPLATE, renderWatermark } from './template.ts';

const who = {
  id: '01JD3Q8Z5K7M9N2P4R6T8V0X1Y',
  nickname: '王丽',
  phone: '+8613800138000',
  account: 'wangli88',
};
const day = new Date(2026, 10, 29, 10, 0);

describe('renderWatermark', () => {
  it('draws what the fixed watermark drew with the default template', () => {
    expect(renderWatermark(DEFAULT_WATERMARK_TEMPLATE, who, day)).toEqual(watermarkLines(who, day));
  });

  it('fills every placeholder and keeps at most three non-blank lines', () => {
    expect(renderWatermark('{nickname}·{account}\n\n内部资料 {date}\n{phoneTail}\nextra', who, day)).toEqual([
      '王丽·wangli88',
      '内部资料 2026-11-29',
      '8000',
    ]);
  });

  it('falls back to the id when the template yields nothing or the user has no phone or account', () => {
    expect(renderWatermark('{nickname}', { ...who, nickname: ' ' }, day)).toEqual([who.id]);
    expect(renderWatermark('{account} {phoneTail}', { ...who, phone: '', account: null }, day)).toEqual([
      `${who.id} ${who.id}`,
    ]);
  });
});
