import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import type { Logger } from '../../platform/logger.ts';
import type { MediaFacts, MediaProcessor } from '../files/files.contract.ts';
import { processAudioVideo } from './media.av.ts';
import { processImage } from './media.images.ts';
import { sniff } from './media.sniff.ts';
import { DEFAULT_TOOLS, toolsAvailable, type MediaTools } from './media.tools.ts';

/** Records that a cleaned copy replaced an upload (traces follow the original hash to the copy). */
export interface HashLinks {
  link(originalSha256: string, cleanedSha256: string, now: number): Promise<void>;
}

export interface MediaProcessorOptions {
  log: Pick<Logger, 'warn' | 'error'>;
  tools?: Partial<MediaTools>;
  links?: HashLinks;
  now?: () => number;
  /** Images with more pixels are not decoded (default MAX_DECODE_PIXELS). */
  maxDecodePixels?: number;
}

async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function head(path: string): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buf = Buffer.alloc(64);
    const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/**
 * Without ffprobe a container cannot tell audio from video: WebM, MP4 and Ogg keep the family the
 * client claimed (a voice recording stays audio/webm), with the container the content shows.
 */
function withoutProbe(sniffed: string, claimed: string): string {
  const family = claimed.split('/')[0];
  const container = sniffed.split('/')[1] ?? '';
  if ((family === 'audio' || family === 'video') && ['webm', 'mp4', 'ogg'].includes(container))
    return `${family}/${container}`;
  return sniffed;
}

/**
 * The media processor: images through sharp; video and voice through ffprobe/ffmpeg when they are
 * installed. Whether they are is checked once, at creation; without them videos get no poster and
 * no duration, and the log says what to install.
 */
export function createMediaProcessor(
  opts: MediaProcessorOptions,
): MediaProcessor & { ready: Promise<boolean> } {
  const tools: MediaTools = { ...DEFAULT_TOOLS, ...opts.tools };
  const ready = toolsAvailable(tools).then((ok) => {
    if (!ok)
      opts.log.warn(
        { ffprobe: tools.ffprobe, ffmpeg: tools.ffmpeg },
        'ffmpeg/ffprobe not found: videos get no poster frame or duration, voice no measured duration; install the Debian package "ffmpeg"',
      );
    return ok;
  });

  async function process(input: { path: string; mime: string; name: string }): Promise<MediaFacts> {
    const [info, first] = await Promise.all([stat(input.path), head(input.path)]);
    const sniffed = sniff(first);
    if (!sniffed) return {};
    if (sniffed.kind === 'image') {
      const facts = await processImage(input.path, sniffed.mime, opts.maxDecodePixels);
      if (facts.replacementPath && opts.links) {
        const [original, cleaned] = await Promise.all([
          sha256Of(input.path),
          sha256Of(facts.replacementPath),
        ]);
        await opts.links.link(original, cleaned, (opts.now ?? Date.now)());
      }
      return facts;
    }
    if (!(await ready)) return { mime: withoutProbe(sniffed.mime, input.mime) };
    return processAudioVideo(input.path, info.size, sniffed.mime, tools);
  }

  return {
    ready,
    async process(input) {
      try {
        return await process(input);
      } catch (err) {
        opts.log.error({ err }, 'media processing failed');
        return {};
      }
    },
  };
}
