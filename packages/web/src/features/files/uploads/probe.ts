import type { LocalProbe, UploadKind } from './upload-queue.ts';

const PROBE_TIMEOUT_MS = 8_000;

function withTimeout<T>(work: Promise<T>, fallback: T): Promise<T> {
  return Promise.race([
    work,
    new Promise<T>((resolve) => setTimeout(() => resolve(fallback), PROBE_TIMEOUT_MS)),
  ]);
}

async function probeImage(blob: Blob): Promise<LocalProbe> {
  const bitmap = await createImageBitmap(blob);
  const probe = { width: bitmap.width, height: bitmap.height };
  bitmap.close();
  return probe;
}

function probeVideo(blob: Blob): Promise<LocalProbe> {
  return new Promise((resolve) => {
    const url = URL.createObjectURL(blob);
    const video = document.createElement('video');
    const done = (probe: LocalProbe) => {
      URL.revokeObjectURL(url);
      video.removeAttribute('src');
      resolve(probe);
    };
    video.preload = 'metadata';
    video.muted = true;
    video.onloadedmetadata = () =>
      done({
        width: video.videoWidth || undefined,
        height: video.videoHeight || undefined,
        durationMs: Number.isFinite(video.duration) ? Math.round(video.duration * 1000) : undefined,
      });
    video.onerror = () => done({});
    video.src = url;
  });
}

/** Measure an image or video in the browser (for when the server could not: no ffmpeg, odd format). */
export function probeLocally(blob: Blob, kind: UploadKind): Promise<LocalProbe> {
  const work =
    kind === 'image' ? probeImage(blob) : kind === 'video' ? probeVideo(blob) : Promise.resolve({});
  return withTimeout(
    work.catch(() => ({})),
    {},
  );
}
