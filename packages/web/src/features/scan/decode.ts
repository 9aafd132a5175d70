import jsQR from 'jsqr';

/** The part of the Shape Detection API we use (Chromium on some platforms; not in TS's DOM lib). */
interface BarcodeDetectorLike {
  detect(source: ImageBitmapSource): Promise<Array<{ rawValue: string }>>;
}
interface BarcodeDetectorClass {
  new (options: { formats: string[] }): BarcodeDetectorLike;
  getSupportedFormats?: () => Promise<string[]>;
}

/** Large photos are scaled down first: a QR code stays readable and decoding stays fast. */
const MAX_SIDE = 1280;

let detector: Promise<BarcodeDetectorLike | null> | undefined;

/** The browser's own QR detector when it has one that reads QR codes, else null. */
function nativeDetector(): Promise<BarcodeDetectorLike | null> {
  detector ??= (async () => {
    const Detector = (globalThis as { BarcodeDetector?: BarcodeDetectorClass }).BarcodeDetector;
    if (!Detector) return null;
    try {
      const formats = (await Detector.getSupportedFormats?.()) ?? ['qr_code'];
      return formats.includes('qr_code') ? new Detector({ formats: ['qr_code'] }) : null;
    } catch {
      return null;
    }
  })();
  return detector;
}

/** Decode the pixels of a canvas with jsQR (pure JavaScript, works everywhere). */
function decodeCanvas(canvas: HTMLCanvasElement): string | null {
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx || canvas.width === 0 || canvas.height === 0) return null;
  const image = ctx.getImageData(0, 0, canvas.width, canvas.height);
  return jsQR(image.data, image.width, image.height, { inversionAttempts: 'attemptBoth' })?.data ?? null;
}

/** Draw a picture or video frame onto a canvas, scaled so its longer side is at most MAX_SIDE. */
function drawScaled(
  source: CanvasImageSource,
  width: number,
  height: number,
  canvas: HTMLCanvasElement = document.createElement('canvas'),
): HTMLCanvasElement {
  const scale = Math.min(1, MAX_SIDE / Math.max(width, height));
  canvas.width = Math.max(1, Math.round(width * scale));
  canvas.height = Math.max(1, Math.round(height * scale));
  canvas.getContext('2d', { willReadFrequently: true })?.drawImage(source, 0, 0, canvas.width, canvas.height);
  return canvas;
}

/** The first QR code's text in an image file, or null when there is none. */
export async function decodeImageFile(file: Blob): Promise<string | null> {
  const bitmap = await createImageBitmap(file);
  try {
    const native = await nativeDetector();
    if (native) {
      const found = await native.detect(bitmap).catch(() => []);
      if (found[0]?.rawValue) return found[0].rawValue;
    }
    return decodeCanvas(drawScaled(bitmap, bitmap.width, bitmap.height));
  } finally {
    bitmap.close();
  }
}

/** The QR code's text in the current frame of a playing video, or null. */
export async function decodeVideoFrame(
  video: HTMLVideoElement,
  canvas: HTMLCanvasElement,
): Promise<string | null> {
  if (video.readyState < 2 || video.videoWidth === 0) return null;
  const native = await nativeDetector();
  if (native) {
    const found = await native.detect(video).catch(() => []);
    return found[0]?.rawValue ?? null;
  }
  return decodeCanvas(drawScaled(video, video.videoWidth, video.videoHeight, canvas));
}

/** Whether text looks like one of our security codes (the server decides whether it is genuine). */
export function looksLikeCode(text: string): boolean {
  return /^ZX1\.[ugltc]\./.test(text.trim());
}
