import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { FileInfo, MessageContent } from '@zhixin/protocol';
import sharp from 'sharp';
import type { App } from '../../app.ts';
import { mustCall, type TestUser } from '../../testing/factories.ts';
import { TusTestClient } from '../files/files.testing.ts';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'zx-filerefs-'));
let counter = 0;

/** A JPEG of 400×300 with a GPS position and a camera name in its EXIF. */
export function photoWithGps(): Promise<Buffer> {
  return sharp({
    create: { width: 400, height: 300, channels: 3, background: { r: 200, g: 40, b: counter++ % 255 } },
  })
    .jpeg()
    .withExif({
      IFD0: { Make: 'ZhixinCam' },
      IFD3: {
        GPSLatitudeRef: 'N',
        GPSLatitude: '39/1 54/1 27/1',
        GPSLongitudeRef: 'E',
        GPSLongitude: '116/1 23/1 17/1',
      },
    })
    .toBuffer();
}

/** A voice recording (Ogg Opus) of about `seconds`. */
export async function voiceOgg(seconds: number): Promise<Buffer> {
  const path = join(dir, `voice-${counter++}.ogg`);
  await run('ffmpeg', [
    '-nostdin',
    '-v',
    'error',
    '-f',
    'lavfi',
    '-i',
    `sine=frequency=300:duration=${seconds}`,
    '-c:a',
    'libopus',
    '-b:a',
    '16k',
    path,
  ]);
  return readFileSync(path);
}

/** A one-second 320×240 H.264 video. */
export async function videoMp4(): Promise<Buffer> {
  const path = join(dir, `clip-${counter++}.mp4`);
  await run('ffmpeg', [
    '-nostdin',
    '-v',
    'error',
    '-f',
    'lavfi',
    '-i',
    'testsrc=duration=1:size=320x240:rate=10',
    '-c:v',
    'libx264',
    '-pix_fmt',
    'yuv420p',
    path,
  ]);
  return readFileSync(path);
}

/** A 320×240 VP8 video of `seconds` (WebM: every Chromium build plays it). */
export async function videoWebm(seconds: number): Promise<Buffer> {
  const path = join(dir, `clip-${counter++}.webm`);
  await run('ffmpeg', [
    '-nostdin',
    '-v',
    'error',
    '-f',
    'lavfi',
    '-i',
    `testsrc=duration=${seconds}:size=320x240:rate=10`,
    '-c:v',
    'libvpx',
    '-b:v',
    '200k',
    path,
  ]);
  return readFileSync(path);
}

/** Upload through the real tus endpoint; resolves the settled file record. */
export async function upload(
  app: App,
  base: string,
  user: TestUser,
  data: Buffer,
  meta: { filename: string; filetype: string; conversationId?: string },
): Promise<FileInfo> {
  const { id, res } = await new TusTestClient(base, user.accessToken).upload(data, meta);
  if (res.status !== 204) throw new Error(`upload failed: ${res.status} ${await res.text()}`);
  return mustCall(app, 'files.get', { id }, user.accessToken);
}

/** Start an upload and leave it unfinished: the file stays `uploading`. */
export async function unfinishedUpload(base: string, user: TestUser, size: number): Promise<string> {
  const created = await new TusTestClient(base, user.accessToken).create(size, {
    filename: 'half.bin',
    filetype: 'application/octet-stream',
  });
  if (created.status !== 201) throw new Error(`create failed: ${created.status}`);
  return (created.headers.get('location') ?? '').split('/').pop() ?? '';
}

/** The content of a file message for a file, as a client would describe it. */
export function imageOf(file: FileInfo): MessageContent {
  return { kind: 'image', fileId: file.id, mime: 'image/jpeg', size: 1, width: 1, height: 1 };
}
export function fileOf(file: FileInfo, name = '报告.pdf'): MessageContent {
  return { kind: 'file', fileId: file.id, name, mime: 'application/pdf', size: 1 };
}

let clientSeq = 0;
export const clientId = () => `f2-client-${Date.now()}-${clientSeq++}`;
