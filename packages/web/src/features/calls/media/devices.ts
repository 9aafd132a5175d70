/** Camera facing: the front (selfie) camera or the back one. */
export type Facing = 'user' | 'environment';

/** Ask for the microphone and, for video, the camera facing the given way. */
export function getLocalMedia(video: boolean, facing: Facing = 'user'): Promise<MediaStream> {
  return navigator.mediaDevices.getUserMedia({
    audio: { echoCancellation: true, noiseSuppression: true },
    video: video ? { facingMode: facing, width: { ideal: 1280 }, height: { ideal: 720 } } : false,
  });
}

/** A new camera track facing the given way (front/back switch, or turning video on). */
export async function getCameraTrack(facing: Facing): Promise<MediaStreamTrack> {
  const stream = await navigator.mediaDevices.getUserMedia({
    video: { facingMode: facing, width: { ideal: 1280 }, height: { ideal: 720 } },
  });
  const track = stream.getVideoTracks()[0];
  if (!track) throw new Error('no camera track');
  return track;
}

/** How many cameras this device has (labels need a permission first; the count does not). */
export async function countCameras(): Promise<number> {
  if (!navigator.mediaDevices?.enumerateDevices) return 0;
  const devices = await navigator.mediaDevices.enumerateDevices();
  return devices.filter((d) => d.kind === 'videoinput').length;
}

/** Whether this browser can route audio to a chosen output (Chromium desktop; not Safari/iOS). */
export function canChooseOutput(): boolean {
  return typeof HTMLMediaElement !== 'undefined' && 'setSinkId' in HTMLMediaElement.prototype;
}

type SinkElement = HTMLMediaElement & { setSinkId?(id: string): Promise<void> };

/**
 * Speaker toggle: where `setSinkId` exists, switch between the default output and the
 * communications output (the earpiece-like device on systems that have one); elsewhere (mobile
 * browsers route by themselves) the toggle only lowers the playback volume for the earpiece mode.
 */
export async function applySpeaker(element: HTMLMediaElement, speakerOn: boolean): Promise<void> {
  const el = element as SinkElement;
  if (el.setSinkId && navigator.mediaDevices?.enumerateDevices) {
    const outputs = (await navigator.mediaDevices.enumerateDevices()).filter((d) => d.kind === 'audiooutput');
    const communications = outputs.find((d) => d.deviceId === 'communications');
    const target = speakerOn ? 'default' : (communications?.deviceId ?? 'default');
    await el.setSinkId(target === 'default' ? '' : target).catch(() => undefined);
  }
  el.volume = speakerOn ? 1 : 0.4;
}

export function stopStream(stream: MediaStream | null | undefined): void {
  for (const track of stream?.getTracks() ?? []) track.stop();
}

/** Enter or leave full screen on an element (the call or meeting stage). */
export async function toggleFullscreen(element: HTMLElement | null): Promise<void> {
  if (document.fullscreenElement) await document.exitFullscreen().catch(() => undefined);
  else await element?.requestFullscreen().catch(() => undefined);
}
