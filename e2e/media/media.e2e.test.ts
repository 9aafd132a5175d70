import { describe, expect, it } from 'vitest';
import { ensureWebBuild } from '../web/browser.ts';
import { mediaUnavailable, runScenario } from './netns.ts';
import type { InboundVideo } from './harness.ts';

/**
 * Calls and meetings with real media: each scenario runs in its own network namespace
 * (netns-run.sh) with the server, its Janus and Chromium (fake camera, microphone and screen).
 */
describe.skipIf(mediaUnavailable !== null)('media in the browser', () => {
  it('a 1:1 video call connects and both sides decode growing video', { timeout: 300_000 }, async () => {
    ensureWebBuild();
    const r = await runScenario<{
      callerVideo: { flowing: boolean; after: InboundVideo };
      calleeVideo: { flowing: boolean; after: InboundVideo };
      localCandidates: string[];
      audioEnabledAfterMute: boolean;
      recordText: string;
    }>('call');
    expect(r.callerVideo.flowing).toBe(true);
    expect(r.calleeVideo.flowing).toBe(true);
    expect(r.callerVideo.after.frameWidth).toBeGreaterThan(0);
    // Peer to peer inside the namespace: the only candidate is the veth's loopback-range address.
    expect(r.localCandidates.length).toBeGreaterThan(0);
    expect(r.localCandidates.every((c) => c.endsWith('127.0.0.2'))).toBe(true);
    expect(r.audioEnabledAfterMute).toBe(false);
    expect(r.recordText).toMatch(/^通话时长 \d\d:\d\d$/);
  });

  it(
    'a three-party meeting on Janus: media flows, mute all silences the others, a screen share reaches everyone, outsiders are refused',
    { timeout: 400_000 },
    async () => {
      ensureWebBuild();
      const r = await runScenario<{
        flows: Record<string, boolean>;
        mutedOthers: boolean[][];
        hostAudio: boolean[];
        unmuteDisabled: boolean;
        screenFlows: Record<string, boolean>;
        refusal: string;
        strangerPcs: number;
        forged: string;
      }>('meeting', [], 380_000);
      expect(Object.values(r.flows)).toHaveLength(6);
      expect(Object.values(r.flows).every(Boolean)).toBe(true);
      for (const senders of r.mutedOthers) {
        expect(senders.length).toBeGreaterThan(0);
        expect(senders.every((enabled) => !enabled)).toBe(true);
      }
      expect(r.hostAudio.some(Boolean)).toBe(true);
      expect(r.unmuteDisabled).toBe(true);
      expect(r.screenFlows).toEqual({ host: true, phone: true });
      expect(r.refusal).toContain('锁定');
      expect(r.strangerPcs).toBe(0);
      expect(r.forged).not.toMatch(/^answered: .*"success"/);
    },
  );

  it(
    'a receiver with small tiles gets a lower simulcast layer than one with a large view',
    { timeout: 300_000 },
    async () => {
      ensureWebBuild();
      const r = await runScenario<{
        plan: string[];
        tileHeights: number[];
        large: { bytesPerSecond: number; last: InboundVideo };
        small: { bytesPerSecond: number; last: InboundVideo };
      }>('simulcast', [], 280_000);
      expect(r.plan.sort()).toEqual(
        expect.arrayContaining([expect.stringMatching(/^h:/), expect.stringMatching(/^l:/)]),
      );
      expect(r.large.last.codec).toBe('video/VP8');
      expect(r.small.last.frameWidth).toBeLessThan(r.large.last.frameWidth);
      expect(r.small.bytesPerSecond).toBeLessThan(r.large.bytesPerSecond);
    },
  );
});
