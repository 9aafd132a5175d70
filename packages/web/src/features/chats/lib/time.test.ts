import { describe, expect, it } from 'vitest';
import { formatTime, sameDay, timeLanguage } from './time.ts';

// Local dates on purpose: the formatter works in the viewer's time zone.
const now = new Date(2025, 5, 15, 10, 30).getTime();
const at = (y: number, mo: number, d: number, h: number, mi: number) => new Date(y, mo, d, h, mi).getTime();

describe('formatTime', () => {
  it('shows only hours and minutes for today', () => {
    expect(formatTime(at(2025, 5, 15, 0, 5), now, 'zh-CN')).toBe('00:05');
    expect(formatTime(at(2025, 5, 15, 9, 7), now, 'en')).toBe('09:07');
  });

  it('says yesterday for the previous calendar day, even across a month', () => {
    expect(formatTime(at(2025, 5, 14, 23, 59), now, 'zh-CN')).toBe('昨天 23:59');
    expect(formatTime(at(2025, 5, 14, 8, 0), now, 'en')).toBe('Yesterday 08:00');
    const firstOfJuly = new Date(2025, 6, 1, 9, 0).getTime();
    expect(formatTime(at(2025, 5, 30, 21, 15), firstOfJuly, 'zh-CN')).toBe('昨天 21:15');
  });

  it('shows month and day within this year', () => {
    expect(formatTime(at(2025, 2, 5, 14, 3), now, 'zh-CN')).toBe('3月5日 14:03');
    expect(formatTime(at(2025, 2, 5, 14, 3), now, 'en')).toBe('Mar 5 14:03');
    expect(formatTime(at(2025, 5, 13, 18, 0), now, 'zh-CN')).toBe('6月13日 18:00');
  });

  it('shows the full date for earlier years', () => {
    expect(formatTime(at(2024, 11, 31, 23, 1), now, 'zh-CN')).toBe('2024/12/31 23:01');
    expect(formatTime(at(2019, 0, 2, 6, 40), now, 'en')).toBe('2019/1/2 06:40');
  });

  it("treats the last year's December 31st as yesterday on January 1st", () => {
    const newYear = new Date(2026, 0, 1, 8, 0).getTime();
    expect(formatTime(at(2025, 11, 31, 22, 0), newYear, 'zh-CN')).toBe('昨天 22:00');
  });
});

describe('sameDay and timeLanguage', () => {
  it('compares calendar days, not 24-hour spans', () => {
    expect(sameDay(at(2025, 5, 15, 0, 1), at(2025, 5, 15, 23, 59))).toBe(true);
    expect(sameDay(at(2025, 5, 14, 23, 59), at(2025, 5, 15, 0, 1))).toBe(false);
  });

  it('maps i18n languages to a time format', () => {
    expect(timeLanguage('en')).toBe('en');
    expect(timeLanguage('en-US')).toBe('en');
    expect(timeLanguage('zh-CN')).toBe('zh-CN');
    expect(timeLanguage(undefined)).toBe('zh-CN');
  });
});
