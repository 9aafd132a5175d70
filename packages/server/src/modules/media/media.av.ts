import type { MediaFacts } from '../files/files.contract.ts';
import { thumbnailOf } from './media.images.ts';
import { runTool, type MediaTools } from './media.tools.ts';

interface ProbeStream {
  codec_type?: string;
  width?: number;
  height?: number;
  duration?: string;
  tags?: Record<string, string>;
  side_data_list?: Array<{ rotation?: number }>;
}
interface Probe {
  format?: { format_name?: string; duration?: string };
  streams?: ProbeStream[];
}

/** Above this, a container without a duration is not decoded to measure one (a voice message is small). */
const MAX_MEASURE_BYTES = 50 * 1024 * 1024;

function seconds(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const s = Number(text);
  return Number.isFinite(s) && s > 0 ? s : undefined;
}

/** The MIME type from ffprobe's container name and whether there is a picture (not cover art). */
function mimeOf(formatName: string, hasVideo: boolean, guess: string): string {
  const names = formatName.split(',');
  if (names.includes('webm') || names.includes('matroska')) return hasVideo ? 'video/webm' : 'audio/webm';
  if (names.includes('ogg')) return hasVideo ? 'video/ogg' : 'audio/ogg';
  if (names.includes('mp4') || names.includes('mov')) {
    if (!hasVideo) return 'audio/mp4';
    return guess === 'video/quicktime' ? 'video/quicktime' : 'video/mp4';
  }
  if (names.includes('mp3')) return 'audio/mpeg';
  if (names.includes('wav')) return 'audio/wav';
  return guess;
}

function rotation(stream: ProbeStream): number {
  const side = stream.side_data_list?.find((d) => typeof d.rotation === 'number')?.rotation;
  const tag = Number(stream.tags?.rotate ?? 0);
  return Math.abs(side ?? (Number.isFinite(tag) ? tag : 0)) % 180;
}

/** Decode the first audio stream to the end and read how far it got (MediaRecorder's WebM has no duration). */
async function measuredSeconds(path: string, tools: MediaTools): Promise<number | undefined> {
  const out = await runTool(
    tools.ffmpeg,
    ['-nostdin', '-v', 'error', '-i', path, '-map', '0:a:0', '-f', 'null', '-progress', 'pipe:1', '-'],
    tools.timeoutMs,
  );
  const times = [...out.toString('utf8').matchAll(/^out_time_us=(\d+)$/gm)];
  const last = times[times.length - 1]?.[1];
  return last === undefined ? undefined : seconds(String(Number(last) / 1e6));
}

/** A poster frame: one frame a little way in (or the first of a very short clip), as a thumbnail. */
async function posterOf(path: string, durationS: number | undefined, tools: MediaTools): Promise<Buffer> {
  const at = durationS === undefined ? 0 : Math.min(1, durationS / 2);
  return runTool(
    tools.ffmpeg,
    [
      '-nostdin',
      '-v',
      'error',
      '-ss',
      at.toFixed(3),
      '-i',
      path,
      '-frames:v',
      '1',
      '-f',
      'image2pipe',
      '-c:v',
      'png',
      '-',
    ],
    tools.timeoutMs,
  );
}

/** Facts about a video or audio file through ffprobe (and ffmpeg for posters and missing durations). */
export async function processAudioVideo(
  path: string,
  size: number,
  guess: string,
  tools: MediaTools,
): Promise<MediaFacts> {
  let probe: Probe;
  try {
    const out = await runTool(
      tools.ffprobe,
      ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', path],
      tools.timeoutMs,
    );
    probe = JSON.parse(out.toString('utf8')) as Probe;
  } catch {
    return {};
  }
  const streams = probe.streams ?? [];
  const video = streams.find(
    (s) => s.codec_type === 'video' && (s.width ?? 0) > 0 && s.tags?.['mimetype'] === undefined,
  );
  const audio = streams.find((s) => s.codec_type === 'audio');
  if (!video && !audio) return {};
  const facts: MediaFacts = { mime: mimeOf(probe.format?.format_name ?? '', video !== undefined, guess) };
  let duration = seconds(probe.format?.duration) ?? seconds((video ?? audio)?.duration);
  if (duration === undefined && audio && size <= MAX_MEASURE_BYTES) {
    duration = await measuredSeconds(path, tools).catch(() => undefined);
  }
  if (duration !== undefined) facts.durationMs = Math.max(1, Math.round(duration * 1000));
  if (video?.width && video.height) {
    const turned = rotation(video) === 90;
    facts.width = turned ? video.height : video.width;
    facts.height = turned ? video.width : video.height;
    try {
      facts.thumbnail = await thumbnailOf(await posterOf(path, duration, tools));
    } catch {
      // No decodable frame: a video without a poster.
    }
  }
  return facts;
}
