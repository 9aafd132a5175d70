import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { FileInfo, MomentVisibility } from '@zhixin/protocol';
import sharp from 'sharp';
import type { App } from '../../app.ts';
import { mustCall, type TestUser } from '../../testing/factories.ts';
import { TusTestClient } from '../files/files.testing.ts';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'zx-moments-'));
let counter = 0;

/** A small JPEG, different each call. */
export function photo(): Promise<Buffer> {
  const n = counter++;
  return sharp({ create: { width: 64, height: 48, channels: 3, background: { r: n % 255, g: 90, b: 30 } } })
    .jpeg()
    .toBuffer();
}

/** An H.264 test video of `seconds`, at `size` and `bitrate` (larger ones make larger files). */
export async function video(seconds: number, size = '160x120', bitrate = '50k'): Promise<Buffer> {
  const path = join(dir, `clip-${counter++}.mp4`);
  await run('ffmpeg', [
    '-nostdin',
    '-v',
    'error',
    '-f',
    'lavfi',
    '-i',
    `testsrc2=duration=${seconds}:size=${size}:rate=25`,
    '-c:v',
    'libx264',
    '-b:v',
    bitrate,
    '-pix_fmt',
    'yuv420p',
    path,
  ]);
  return readFileSync(path);
}

/** Upload through the real tus endpoint; the settled file record. */
export async function uploadFile(
  app: App,
  base: string,
  user: TestUser,
  data: Buffer,
  name: string,
  mime: string,
): Promise<FileInfo> {
  const { id, res } = await new TusTestClient(base, user.accessToken).upload(data, {
    filename: name,
    filetype: mime,
  });
  if (res.status !== 204) throw new Error(`upload failed: ${res.status} ${await res.text()}`);
  return mustCall(app, 'files.get', { id }, user.accessToken);
}

/** A text post by `user`. */
export async function post(
  app: App,
  user: TestUser,
  visibility: MomentVisibility,
  text = '今天训练完成',
): Promise<string> {
  return (await mustCall(app, 'moments.create', { text, visibility }, user.accessToken)).id;
}
