import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { FileInfo, MessageContent } from '@zhixin/protocol';
import sharp from 'sharp';

const run = promisify(execFile);

/** One ready file of each media kind, owned by one user, as the content of a message. */
export interface MediaSet {
  image: MessageContent;
  file: MessageContent;
  voice: MessageContent;
  video: MessageContent;
}

interface Samples {
  image: Buffer;
  file: Buffer;
  voice: Buffer;
  video: Buffer;
}

/** Small real media (a JPEG, a PDF-like file, 3 s of Ogg voice, 1 s of H.264 video); ffmpeg makes the last two. */
async function samples(): Promise<Samples> {
  const dir = mkdtempSync(join(tmpdir(), 'zx-bench-media-'));
  const ff = (...args: string[]) => run('ffmpeg', ['-nostdin', '-v', 'error', '-y', ...args]);
  await ff(
    '-f',
    'lavfi',
    '-i',
    'sine=frequency=300:duration=3',
    '-c:a',
    'libopus',
    '-b:a',
    '16k',
    join(dir, 'v.ogg'),
  );
  await ff(
    '-f',
    'lavfi',
    '-i',
    'testsrc=duration=1:size=320x240:rate=10',
    '-c:v',
    'libx264',
    '-pix_fmt',
    'yuv420p',
    join(dir, 'c.mp4'),
  );
  return {
    image: await sharp({ create: { width: 640, height: 480, channels: 3, background: '#4477aa' } })
      .jpeg()
      .toBuffer(),
    file: Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(64 * 1024, 0x20)]),
    voice: readFileSync(join(dir, 'v.ogg')),
    video: readFileSync(join(dir, 'c.mp4')),
  };
}

const b64 = (s: string) => Buffer.from(s).toString('base64');

/** Upload one file in one tus request (creation-with-upload) and read its settled record. */
async function uploadOne(
  base: string,
  token: string,
  data: Buffer,
  name: string,
  mime: string,
): Promise<FileInfo> {
  const res = await fetch(`${base}/api/v1/uploads`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'tus-resumable': '1.0.0',
      'upload-length': String(data.length),
      'upload-metadata': `filename ${b64(name)},filetype ${b64(mime)}`,
      'content-type': 'application/offset+octet-stream',
    },
    body: new Uint8Array(data),
  });
  if (res.status !== 201) throw new Error(`upload of ${name}: ${res.status} ${await res.text()}`);
  const id = (res.headers.get('location') ?? '').split('/').pop() ?? '';
  const info = await fetch(`${base}/api/v1/files/${id}`, { headers: { authorization: `Bearer ${token}` } });
  const file = (await info.json()) as FileInfo;
  if (file.status !== 'ready') throw new Error(`upload of ${name} is ${file.status}`);
  return file;
}

/**
 * Give each user one ready image, file, voice recording and video (media messages must name a
 * ready file of the sender's), through the real upload endpoint of the running server.
 */
export async function seedMediaFiles(base: string, tokens: readonly string[]): Promise<MediaSet[]> {
  const s = await samples();
  const sets: MediaSet[] = [];
  for (const token of tokens) {
    const [image, file, voice, video] = await Promise.all([
      uploadOne(base, token, s.image, 'photo.jpg', 'image/jpeg'),
      uploadOne(base, token, s.file, '季度报告.pdf', 'application/pdf'),
      uploadOne(base, token, s.voice, 'voice.ogg', 'audio/ogg'),
      uploadOne(base, token, s.video, 'clip.mp4', 'video/mp4'),
    ]);
    sets.push({
      image: {
        kind: 'image',
        fileId: image.id,
        mime: image.mime,
        size: image.size,
        width: image.width ?? 1,
        height: image.height ?? 1,
      },
      file: { kind: 'file', fileId: file.id, name: '季度报告.pdf', mime: file.mime, size: file.size },
      voice: {
        kind: 'voice',
        fileId: voice.id,
        mime: voice.mime,
        size: voice.size,
        durationMs: voice.durationMs ?? 1,
      },
      video: {
        kind: 'video',
        fileId: video.id,
        mime: video.mime,
        size: video.size,
        durationMs: video.durationMs ?? 1,
        width: video.width ?? 1,
        height: video.height ?? 1,
      },
    });
  }
  return sets;
}
