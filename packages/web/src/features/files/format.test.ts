import { describe, expect, it } from 'vitest';
import { fileIconKind, formatBytes, formatDuration, sendKindOf } from './format.ts';

describe('file formatting', () => {
  it('prints sizes in the largest unit below the value', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(5 * 1024 ** 2)).toBe('5.0 MB');
    expect(formatBytes(1024 ** 3)).toBe('1.0 GB');
  });

  it('prints durations as m:ss, rounding to the second', () => {
    expect(formatDuration(6_600)).toBe('0:07');
    expect(formatDuration(60_000)).toBe('1:00');
    expect(formatDuration(754_000)).toBe('12:34');
  });

  it('chooses the icon by extension before MIME type', () => {
    expect(fileIconKind('报告.DOCX', 'application/octet-stream')).toBe('word');
    expect(fileIconKind('scan', 'application/pdf')).toBe('pdf');
    expect(fileIconKind('clip', 'video/mp4')).toBe('video');
    expect(fileIconKind('data.bin', 'application/octet-stream')).toBe('other');
  });

  it('sends only browser-viewable images and videos as media', () => {
    expect(sendKindOf('image/png')).toBe('image');
    expect(sendKindOf('image/tiff')).toBe('file');
    expect(sendKindOf('video/mp4')).toBe('video');
    expect(sendKindOf('application/zip')).toBe('file');
  });
});
