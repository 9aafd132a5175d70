/** How this browser publishes video into a meeting room. */
export interface VideoPlan {
  codec: 'av1' | 'vp9' | 'vp8';
  /** `sendEncodings` for `addTransceiver`: one SVC encoding, or three simulcast ones (rid h/m/l). */
  encodings: RTCRtpEncodingParameters[];
  kind: 'svc' | 'simulcast' | 'single';
}

/** VP8 simulcast: full, half and quarter resolution; Janus numbers them substream 2, 1, 0. */
export const SIMULCAST_ENCODINGS: RTCRtpEncodingParameters[] = [
  { rid: 'h', active: true, maxBitrate: 1_200_000 },
  { rid: 'm', active: true, maxBitrate: 350_000, scaleResolutionDownBy: 2 },
  { rid: 'l', active: true, maxBitrate: 120_000, scaleResolutionDownBy: 4 },
];

function hasCodec(capabilities: RTCRtpCapabilities | null, mime: string): boolean {
  return !!capabilities?.codecs.some((c) => c.mimeType.toLowerCase() === mime);
}

/**
 * Pick the plan: AV1 SVC when the room allows AV1 and the browser sends it, then VP9 SVC (L3T3:
 * three spatial and three temporal layers in one stream), else VP8 simulcast with three encodings.
 * `roomCodecs` are the room's codecs from the media grant (e.g. `['vp9', 'vp8']`).
 */
export function chooseVideoPlan(
  roomCodecs: readonly string[],
  capabilities: RTCRtpCapabilities | null,
): VideoPlan {
  const allowed = new Set(roomCodecs.map((c) => c.toLowerCase()));
  if (allowed.has('av1') && hasCodec(capabilities, 'video/av1'))
    return {
      codec: 'av1',
      kind: 'svc',
      encodings: [{ scalabilityMode: 'L3T3' } as RTCRtpEncodingParameters],
    };
  if (allowed.has('vp9') && hasCodec(capabilities, 'video/vp9'))
    return {
      codec: 'vp9',
      kind: 'svc',
      encodings: [{ scalabilityMode: 'L3T3' } as RTCRtpEncodingParameters],
    };
  return { codec: 'vp8', kind: 'simulcast', encodings: SIMULCAST_ENCODINGS.map((e) => ({ ...e })) };
}

/**
 * A screen share: one full-resolution encoding (Chromium encodes screen content poorly, or not
 * at all, with spatial SVC), in the room's preferred codec the browser has.
 */
export function chooseScreenPlan(
  roomCodecs: readonly string[],
  capabilities: RTCRtpCapabilities | null,
): VideoPlan {
  const { codec } = chooseVideoPlan(roomCodecs, capabilities);
  return { codec, kind: 'single', encodings: [{ maxBitrate: 2_500_000 }] };
}

/** Codec preferences that put the plan's codec first (and keep RTX/RED/FEC usable). */
export function preferredCodecs(
  codec: VideoPlan['codec'],
  capabilities: RTCRtpCapabilities | null,
): RTCRtpCodec[] | undefined {
  if (!capabilities) return undefined;
  const mime = `video/${codec}`;
  const chosen = capabilities.codecs.filter((c) => c.mimeType.toLowerCase() === mime);
  if (chosen.length === 0) return undefined;
  const helpers = capabilities.codecs.filter((c) => /\/(rtx|red|ulpfec|flexfec-03)$/i.test(c.mimeType));
  return [...chosen, ...helpers];
}

/** The layer a receiver asks for: simulcast substream (0 low … 2 high) or SVC spatial layer, and the temporal layer. */
export interface LayerChoice {
  substream: 0 | 1 | 2;
  temporal: 0 | 1 | 2;
}

/**
 * The layer that fits a tile: what it shows in device pixels decides the resolution (quarter
 * ≤ 200 px tall, half ≤ 400 px, else full); tiles under 120 px also drop to the lowest frame rate.
 * A hidden tile (0 px) gets the lowest of both.
 */
export function layerForTile(cssHeight: number, devicePixelRatio = 1): LayerChoice {
  const px = cssHeight * Math.max(1, devicePixelRatio);
  if (px <= 0) return { substream: 0, temporal: 0 };
  if (px < 120) return { substream: 0, temporal: 0 };
  if (px <= 200) return { substream: 0, temporal: 2 };
  if (px <= 400) return { substream: 1, temporal: 2 };
  return { substream: 2, temporal: 2 };
}
