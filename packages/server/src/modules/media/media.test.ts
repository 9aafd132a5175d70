import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { createMediaProcessor } from './media.processor.ts';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'zx-media-'));
const silent = { warn: () => undefined, error: () => undefined };
const media = createMediaProcessor({ log: silent });

async function ffmpeg(...args: string[]): Promise<void> {
  await run('ffmpeg', ['-nostdin', '-v', 'error', '-y', ...args]);
}

/** A 400×200 JPEG with a GPS position in its EXIF, tagged to be shown turned 90° clockwise. */
async function photoWithGps(path: string): Promise<void> {
  await sharp({ create: { width: 400, height: 200, channels: 3, background: '#3366cc' } })
    .jpeg()
    .withExif({
      IFD0: { Make: 'ZhixinCam', Model: 'Field 1' },
      IFD3: {
        GPSLatitudeRef: 'N',
        GPSLatitude: '39/1 54/1 27/1',
        GPSLongitudeRef: 'E',
        GPSLongitude: '116/1 23/1 17/1',
      },
    })
    .withMetadata({ orientation: 6 })
    .toFile(path);
}

describe('media processor', () => {
  beforeAll(async () => {
    expect(await media.ready).toBe(true);
  });

  it('strips EXIF and GPS from a photo, turns it upright and makes a thumbnail', async () => {
    const path = join(dir, 'gps.jpg');
    await photoWithGps(path);
    const before = await sharp(path).metadata();
    expect(before.exif?.toString('latin1')).toContain('ZhixinCam');
    const facts = await media.process({ path, mime: 'application/octet-stream', name: 'gps.jpg' });
    expect(facts).toMatchObject({ mime: 'image/jpeg', width: 200, height: 400 });
    expect(facts.replacementPath).toBeDefined();
    const cleaned = await sharp(facts.replacementPath).metadata();
    expect(cleaned.exif).toBeUndefined();
    expect(cleaned.xmp).toBeUndefined();
    expect(cleaned.orientation).toBeUndefined();
    expect([cleaned.width, cleaned.height]).toEqual([200, 400]);
    const thumb = await sharp(facts.thumbnail?.data).metadata();
    expect(facts.thumbnail?.mime).toBe('image/webp');
    expect([thumb.format, thumb.width, thumb.height]).toEqual(['webp', 160, 320]);
  });

  it('cuts EXIF out of a JPEG too large to decode, byte for byte, without a thumbnail', async () => {
    const path = join(dir, 'huge.jpg');
    await photoWithGps(path);
    const small = createMediaProcessor({ log: silent, maxDecodePixels: 1000 });
    const facts = await small.process({ path, mime: 'image/jpeg', name: 'huge.jpg' });
    expect(facts).toMatchObject({ mime: 'image/jpeg', width: 200, height: 400 });
    expect(facts.thumbnail).toBeUndefined();
    const cleaned = await sharp(facts.replacementPath).metadata();
    expect(cleaned.exif).toBeUndefined();
    expect([cleaned.width, cleaned.height]).toEqual([400, 200]);
    const [a, b] = await Promise.all([
      sharp(path).raw().toBuffer(),
      sharp(facts.replacementPath).raw().toBuffer(),
    ]);
    expect(b.equals(a)).toBe(true);
  });

  it('strips text metadata from a PNG and leaves a clean WebP alone', async () => {
    const png = join(dir, 'meta.png');
    await sharp({ create: { width: 64, height: 48, channels: 4, background: '#00000000' } })
      .png()
      .withExif({ IFD0: { Artist: 'someone' } })
      .toFile(png);
    const pngFacts = await media.process({ path: png, mime: 'image/png', name: 'meta.png' });
    expect(pngFacts).toMatchObject({ mime: 'image/png', width: 64, height: 48 });
    expect((await sharp(pngFacts.replacementPath).metadata()).exif).toBeUndefined();

    const webp = join(dir, 'clean.webp');
    await sharp({ create: { width: 1000, height: 500, channels: 3, background: '#fff' } })
      .webp()
      .toFile(webp);
    const webpFacts = await media.process({ path: webp, mime: 'image/png', name: 'clean.webp' });
    expect(webpFacts).toMatchObject({ mime: 'image/webp', width: 1000, height: 500 });
    expect(webpFacts.replacementPath).toBeUndefined();
    const thumb = await sharp(webpFacts.thumbnail?.data).metadata();
    expect([thumb.width, thumb.height]).toEqual([320, 160]);
  });

  it('measures a video and takes a poster frame', async () => {
    const path = join(dir, 'clip.mp4');
    await ffmpeg(
      '-f',
      'lavfi',
      '-i',
      'testsrc=duration=1:size=320x240:rate=10',
      '-c:v',
      'libx264',
      '-pix_fmt',
      'yuv420p',
      path,
    );
    const facts = await media.process({ path, mime: 'video/mp4', name: 'clip.mp4' });
    expect(facts).toMatchObject({ mime: 'video/mp4', width: 320, height: 240 });
    expect(facts.durationMs).toBeGreaterThanOrEqual(900);
    expect(facts.durationMs).toBeLessThanOrEqual(1100);
    const poster = await sharp(facts.thumbnail?.data).metadata();
    expect([poster.format, poster.width, poster.height]).toEqual(['webp', 320, 240]);
  });

  it('measures voice in Ogg, and in WebM written as a stream without a duration (as MediaRecorder does)', async () => {
    const ogg = join(dir, 'voice.ogg');
    await ffmpeg('-f', 'lavfi', '-i', 'sine=frequency=440:duration=2', '-c:a', 'libopus', ogg);
    const oggFacts = await media.process({ path: ogg, mime: 'audio/ogg', name: 'voice.ogg' });
    expect(oggFacts.mime).toBe('audio/ogg');
    expect(Math.abs((oggFacts.durationMs ?? 0) - 2000)).toBeLessThan(100);
    expect(oggFacts.thumbnail).toBeUndefined();

    const webm = join(dir, 'voice.webm');
    const { stdout } = await run(
      'ffmpeg',
      [
        '-nostdin',
        '-v',
        'error',
        '-f',
        'lavfi',
        '-i',
        'sine=frequency=440:duration=3',
        '-c:a',
        'libopus',
        '-f',
        'webm',
        'pipe:1',
      ],
      { encoding: 'buffer', maxBuffer: 8 * 1024 * 1024 },
    );
    writeFileSync(webm, stdout);
    const probe = await run('ffprobe', [
      '-v',
      'error',
      '-show_entries',
      'format=duration',
      '-of',
      'csv=p=0',
      webm,
    ]);
    expect(probe.stdout.trim()).toBe('N/A');
    const webmFacts = await media.process({ path: webm, mime: 'audio/webm', name: 'voice.webm' });
    expect(webmFacts.mime).toBe('audio/webm');
    expect(Math.abs((webmFacts.durationMs ?? 0) - 3000)).toBeLessThan(100);
  });

  it('returns nothing for garbage, truncated images and empty files, without throwing', async () => {
    const garbage = join(dir, 'garbage.bin');
    writeFileSync(garbage, Buffer.from('this is not a picture at all, just text'.repeat(20)));
    expect(await media.process({ path: garbage, mime: 'image/jpeg', name: 'x.jpg' })).toEqual({});
    const empty = join(dir, 'empty.jpg');
    writeFileSync(empty, Buffer.alloc(0));
    expect(await media.process({ path: empty, mime: 'image/jpeg', name: 'empty.jpg' })).toEqual({});
    const truncated = join(dir, 'truncated.jpg');
    const whole = await sharp({ create: { width: 300, height: 300, channels: 3, background: '#123' } })
      .jpeg()
      .toBuffer();
    writeFileSync(truncated, whole.subarray(0, 40));
    const facts = await media.process({ path: truncated, mime: 'image/jpeg', name: 'truncated.jpg' });
    expect(facts.replacementPath).toBeUndefined();
    const fakeVideo = join(dir, 'fake.mp4');
    writeFileSync(
      fakeVideo,
      Buffer.concat([Buffer.from([0, 0, 0, 24]), Buffer.from('ftypisom'), Buffer.alloc(64, 7)]),
    );
    expect(await media.process({ path: fakeVideo, mime: 'video/mp4', name: 'fake.mp4' })).toEqual({});
    const missing = join(dir, 'does-not-exist.png');
    expect(await media.process({ path: missing, mime: 'image/png', name: 'gone.png' })).toEqual({});
  });

  it('without ffmpeg: no poster, no duration, the claimed family kept, and a warning naming the package', async () => {
    const warnings: string[] = [];
    const bare = createMediaProcessor({
      log: { warn: (_obj: unknown, msg?: string) => void warnings.push(msg ?? ''), error: () => undefined },
      tools: { ffprobe: join(dir, 'no-ffprobe'), ffmpeg: join(dir, 'no-ffmpeg') },
    });
    expect(await bare.ready).toBe(false);
    expect(warnings.join(' ')).toContain('ffmpeg');
    const path = join(dir, 'voice2.webm');
    await ffmpeg('-f', 'lavfi', '-i', 'sine=duration=1', '-c:a', 'libopus', path);
    expect(await bare.process({ path, mime: 'audio/webm', name: 'v.webm' })).toEqual({ mime: 'audio/webm' });
  });
});
