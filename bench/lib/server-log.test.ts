import { describe, expect, it } from 'vitest';
import { serverLogLines, summarizeServerLog } from './server-log.ts';

const line = (level: number, msg: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ level, time: 1, pid: 7, name: 'zhixin', ...extra, msg });

describe('the server log summary', () => {
  it('counts warn, error and fatal lines by message, the most frequent first, and skips info', () => {
    const text = [
      line(30, 'Zhixin listening'),
      line(40, 'slow consumer dropped', { conn: 1 }),
      line(40, 'worker exited; restarting'),
      line(40, 'slow consumer dropped', { conn: 2 }),
      line(50, 'nats disconnected'),
      line(60, 'workers exit before listening; giving up'),
      '',
    ].join('\n');
    const s = summarizeServerLog(text, '/tmp/x/server.log');
    expect(s).toMatchObject({ path: '/tmp/x/server.log', lines: 6, warn: 3, error: 1, fatal: 1, other: 0 });
    expect(Object.entries(s.byMsg)).toEqual([
      ['slow consumer dropped', 2],
      ['worker exited; restarting', 1],
      ['[error] nats disconnected', 1],
      ['[fatal] workers exit before listening; giving up', 1],
    ]);
  });

  it('keeps the ten most frequent messages only', () => {
    const text = Array.from({ length: 12 }, (_, i) =>
      Array.from({ length: i + 1 }, () => line(40, `m${i}`)).join('\n'),
    ).join('\n');
    const s = summarizeServerLog(text);
    expect(s.warn).toBe(78);
    expect(Object.keys(s.byMsg)).toEqual(['m11', 'm10', 'm9', 'm8', 'm7', 'm6', 'm5', 'm4', 'm3', 'm2']);
  });

  it('counts lines that are not pino JSON (a crash on stderr) and shows the first of them', () => {
    const s = summarizeServerLog(['FATAL ERROR: Reached heap limit', line(40, 'x'), '[1, 2]'].join('\n'));
    expect(s.other).toBe(2);
    expect(s.otherSamples).toEqual(['FATAL ERROR: Reached heap limit', '[1, 2]']);
    expect(serverLogLines(s).join('\n')).toContain('FATAL ERROR: Reached heap limit');
  });
});
