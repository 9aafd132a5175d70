import { describe, expect, it } from 'vitest';
import { chooseScreenPlan, chooseVideoPlan, layerForTile, preferredCodecs } from './video-plan.ts';

const codec = (mimeType: string): RTCRtpCodec => ({ mimeType, clockRate: 90000 });
const CHROMIUM: RTCRtpCapabilities = {
  codecs: [
    codec('video/VP8'),
    codec('video/rtx'),
    codec('video/VP9'),
    codec('video/AV1'),
    codec('video/red'),
  ],
  headerExtensions: [],
};
const NO_VP9: RTCRtpCapabilities = { codecs: [codec('video/VP8'), codec('video/rtx')], headerExtensions: [] };

describe('chooseVideoPlan', () => {
  it('publishes VP9 SVC L3T3 in a VP9 room when the browser has VP9', () => {
    const plan = chooseVideoPlan(['vp9', 'vp8'], CHROMIUM);
    expect(plan).toMatchObject({ codec: 'vp9', kind: 'svc' });
    expect(plan.encodings).toEqual([{ scalabilityMode: 'L3T3' }]);
  });

  it('prefers AV1 SVC when the room offers AV1', () => {
    expect(chooseVideoPlan(['av1', 'vp9', 'vp8'], CHROMIUM).codec).toBe('av1');
  });

  it('falls back to VP8 simulcast h/m/l without VP9 in the browser or the room', () => {
    for (const plan of [chooseVideoPlan(['vp9', 'vp8'], NO_VP9), chooseVideoPlan(['vp8'], CHROMIUM)]) {
      expect(plan).toMatchObject({ codec: 'vp8', kind: 'simulcast' });
      expect(plan.encodings.map((e) => e.rid)).toEqual(['h', 'm', 'l']);
      expect(plan.encodings.map((e) => e.scaleResolutionDownBy ?? 1)).toEqual([1, 2, 4]);
    }
  });
});

describe('chooseScreenPlan', () => {
  it('sends a screen as one full-resolution encoding in the room codec', () => {
    expect(chooseScreenPlan(['vp9', 'vp8'], CHROMIUM)).toEqual({
      codec: 'vp9',
      kind: 'single',
      encodings: [{ maxBitrate: 2_500_000 }],
    });
    expect(chooseScreenPlan(['vp9', 'vp8'], NO_VP9).codec).toBe('vp8');
  });
});

describe('preferredCodecs', () => {
  it('puts the chosen codec first and keeps retransmission/redundancy codecs', () => {
    expect(preferredCodecs('vp8', CHROMIUM)?.map((c) => c.mimeType)).toEqual([
      'video/VP8',
      'video/rtx',
      'video/red',
    ]);
    expect(preferredCodecs('vp9', NO_VP9)).toBeUndefined();
  });
});

describe('layerForTile', () => {
  it('asks small tiles for the low substream and the speaker view for the high one', () => {
    expect(layerForTile(90)).toEqual({ substream: 0, temporal: 0 });
    expect(layerForTile(180)).toEqual({ substream: 0, temporal: 2 });
    expect(layerForTile(300)).toEqual({ substream: 1, temporal: 2 });
    expect(layerForTile(600)).toEqual({ substream: 2, temporal: 2 });
    expect(layerForTile(0)).toEqual({ substream: 0, temporal: 0 });
  });

  it('counts device pixels', () => {
    expect(layerForTile(180, 2)).toEqual({ substream: 1, temporal: 2 });
    expect(layerForTile(250, 2)).toEqual({ substream: 2, temporal: 2 });
  });
});
