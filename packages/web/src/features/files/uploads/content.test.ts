import type { FileInfo } from '@zhixin/protocol';
import { describe, expect, it } from 'vitest';
import { contentFor } from './content.ts';

const info = (over: Partial<FileInfo> = {}): FileInfo => ({
  id: 'f1',
  ownerId: 'u1',
  name: 'photo.png',
  mime: 'image/png',
  size: 2048,
  offset: 2048,
  sha256: 'a'.repeat(64),
  status: 'ready',
  reason: null,
  width: null,
  height: null,
  durationMs: null,
  hasThumbnail: false,
  createdAt: 1,
  expiresAt: null,
  ...over,
});

describe('contentFor', () => {
  it("prefers the server's dimensions to the browser's", () => {
    expect(contentFor('image', info({ width: 800, height: 600 }), { width: 1, height: 1 })).toEqual({
      kind: 'image',
      fileId: 'f1',
      mime: 'image/png',
      size: 2048,
      width: 800,
      height: 600,
    });
  });

  it('falls back to what the browser measured', () => {
    const video = contentFor('video', info({ mime: 'video/mp4' }), {
      width: 640,
      height: 360,
      durationMs: 3200,
    });
    expect(video).toMatchObject({ kind: 'video', width: 640, height: 360, durationMs: 3200 });
  });

  it('sends an image nobody could measure as a file, under its name', () => {
    expect(contentFor('image', info(), {})).toEqual({
      kind: 'file',
      fileId: 'f1',
      name: 'photo.png',
      mime: 'image/png',
      size: 2048,
    });
  });

  it('caps a voice message at 60 seconds', () => {
    const voice = contentFor('voice', info({ mime: 'audio/webm' }), { durationMs: 60_400 });
    expect(voice).toMatchObject({ kind: 'voice', durationMs: 60_000 });
  });
});
