import { describe, expect, it } from 'vitest';
import type { MediaStep } from '../lib/gst-media.ts';
import { runMediaBench } from './media.ts';

interface MediaResult {
  generator: string;
  steps: Array<MediaStep | { kind: string; stopped: string }>;
  generatorBaseline: Record<'audio' | 'video', { packets: number; samples: number }>;
}

/** Nominal rates of the generator's looped streams (Opus 20 ms frames; VP8 ~150 pps). */
const NOMINAL_PPS = { audio: 50, video: 150 };

describe('the media benchmark with the GStreamer generator (smoke)', () => {
  it('forwards both kinds through Janus to two subscriptions and reads the delay stamps back', async () => {
    // Real server, Janus and webrtcbin peers in a network namespace (the run re-executes itself there).
    const result = (await runMediaBench({
      scenario: 'media',
      n: 2,
      duration: 2,
      flags: { generator: 'gst', n: '2', duration: '2' },
    })) as MediaResult;
    expect(result.generator).toBe('gst');
    expect(result.generatorBaseline.audio.packets).toBeGreaterThan(0);
    expect(result.generatorBaseline.video.samples).toBeGreaterThan(0);
    for (const kind of ['audio', 'video'] as const) {
      const step = result.steps.find((s): s is MediaStep => s.kind === kind && 'forwardedPps' in s);
      expect(step, `${kind} step`).toBeDefined();
      expect(step!.subscriptions).toBe(2);
      // Half the nominal rate at least: a loaded CI machine slows the generator, a broken path gives 0.
      expect(step!.forwardedPps).toBeGreaterThan(NOMINAL_PPS[kind]);
      expect(step!.janusCore).toBeGreaterThan(0);
      // The user / system split adds up to the total (each rounded to 0.001 of a core).
      expect(step!.janusUserCore! + step!.janusSystemCore!).toBeCloseTo(step!.janusCore, 2);
      expect(step!.delayP50Ms).toBeGreaterThan(0);
      expect(step!.delayP50Ms).toBeLessThan(1000);
    }
  }, 300_000);
});
