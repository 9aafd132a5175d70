import type { FileInfo, MessageContent } from '@zhixin/protocol';
import { MAX_VOICE_MS } from '@zhixin/protocol';
import type { LocalProbe, UploadKind } from './upload-queue.ts';

const positive = (n: number | null | undefined): n is number => typeof n === 'number' && n >= 1;

/**
 * The message for an uploaded file: the server's facts (sniffed type, size, dimensions, duration)
 * first, what the browser measured as a fallback. An image or video that nobody could measure is
 * sent as a plain file rather than with made-up dimensions.
 */
export function contentFor(kind: UploadKind, info: FileInfo, probe: LocalProbe): MessageContent {
  const base = { fileId: info.id, mime: info.mime, size: info.size };
  const width = positive(info.width) ? info.width : probe.width;
  const height = positive(info.height) ? info.height : probe.height;
  const durationMs = positive(info.durationMs) ? info.durationMs : probe.durationMs;
  if (kind === 'image' && positive(width) && positive(height))
    return { kind: 'image', ...base, width, height };
  if (kind === 'video' && positive(width) && positive(height) && positive(durationMs))
    return { kind: 'video', ...base, width, height, durationMs };
  if (kind === 'voice' && positive(durationMs))
    return { kind: 'voice', ...base, durationMs: Math.min(MAX_VOICE_MS, Math.round(durationMs)) };
  return { kind: 'file', ...base, name: info.name };
}
