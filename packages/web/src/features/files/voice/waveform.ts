/** Bars drawn in a voice bubble. */
export const WAVE_BARS = 24;

/** Loudness per bar (RMS, scaled so the loudest bar is 1) of mono samples. */
export function peaksOf(samples: Float32Array, bars = WAVE_BARS): number[] {
  const out: number[] = [];
  const per = Math.max(1, Math.floor(samples.length / bars));
  for (let b = 0; b < bars; b++) {
    let sum = 0;
    const start = b * per;
    const end = Math.min(samples.length, start + per);
    for (let i = start; i < end; i++) sum += (samples[i] ?? 0) ** 2;
    out.push(end > start ? Math.sqrt(sum / (end - start)) : 0);
  }
  const max = Math.max(...out, 1e-6);
  return out.map((v) => Math.round((v / max) * 100) / 100);
}

const cache = new Map<string, Promise<number[]>>();

/** The waveform of a recording, decoded in the browser (once per file). */
export function waveformOf(fileId: string, blob: Blob): Promise<number[]> {
  let held = cache.get(fileId);
  if (!held) {
    held = (async () => {
      const context = new OfflineAudioContext(1, 1, 8000);
      const audio = await context.decodeAudioData(await blob.arrayBuffer());
      return peaksOf(audio.getChannelData(0));
    })();
    held.catch(() => cache.delete(fileId));
    cache.set(fileId, held);
  }
  return held;
}
