import { describe, expect, it } from 'vitest';
import { formatDate, tileParams, watermarkLines } from './text.ts';

const date = new Date(2025, 0, 5, 9, 30);

describe('watermark text', () => {
  it('names the user by nickname and the last four digits of the phone, with the date', () => {
    expect(watermarkLines({ id: 'u1', nickname: '张三', phone: '+8613800138000' }, date)).toEqual([
      '张三 8000',
      '2025-01-05',
    ]);
  });

  it('falls back to the account id without a usable phone', () => {
    expect(watermarkLines({ id: 'U7xQ', nickname: 'Li', phone: '' }, date)[0]).toBe('Li U7xQ');
    expect(watermarkLines({ id: 'U7xQ', nickname: '  ', phone: '' }, date)[0]).toBe('U7xQ');
  });

  it('pads the date', () => {
    expect(formatDate(new Date(2030, 10, 9))).toBe('2030-11-09');
  });
});

describe('watermark tiles', () => {
  it('grow with the font step and stay faint and tilted', () => {
    const standard = tileParams(1);
    const xlarge = tileParams(1.3);
    expect(xlarge.fontPx).toBeGreaterThan(standard.fontPx);
    expect(xlarge.width).toBeGreaterThan(standard.width);
    expect(standard.alpha).toBeGreaterThanOrEqual(0.1);
    expect(standard.alpha).toBeLessThanOrEqual(0.14);
    expect(standard.angleDeg).toBe(-20);
  });

  it('narrow to half a phone screen so a phone shows at least two columns', () => {
    expect(tileParams(1, 390).width).toBe(195);
    expect(tileParams(1.3, 390).width).toBe(195);
    expect(tileParams(1, 320).width).toBe(170);
    expect(tileParams(1, 1280).width).toBe(300);
  });
});
