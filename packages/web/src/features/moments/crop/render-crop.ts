import { outputSize, pixelCrop, rotatedSize, type CropRatio, type Rect, type Rotation } from './crop-math.ts';

/** No side of a posted picture is longer than this. */
export const MAX_IMAGE_SIDE = 2560;
const JPEG_QUALITY = 0.9;

/** A picture from the device, decoded (EXIF orientation applied by the browser). */
export function decodeImage(file: Blob): Promise<ImageBitmap> {
  return createImageBitmap(file, { imageOrientation: 'from-image' });
}

/** Turn the context so that drawing the picture at (0, 0) lands it rotated within its rotated box. */
function applyRotation(ctx: CanvasRenderingContext2D, image: ImageBitmap, rotation: Rotation): void {
  const turned = rotatedSize(image, rotation);
  if (rotation === 90) ctx.translate(turned.width, 0);
  else if (rotation === 180) ctx.translate(turned.width, turned.height);
  else if (rotation === 270) ctx.translate(0, turned.height);
  ctx.rotate((rotation * Math.PI) / 180);
}

/**
 * The cropped, rotated picture as a file: PNG stays PNG (it may be transparent), anything else
 * becomes JPEG. The name keeps its stem.
 */
export async function renderCrop(
  image: ImageBitmap,
  rotation: Rotation,
  crop: Rect,
  ratio: CropRatio,
  source: { name: string; type: string },
): Promise<File> {
  const bounds = rotatedSize(image, rotation);
  const px = pixelCrop(crop, bounds, ratio);
  const out = outputSize(px, MAX_IMAGE_SIDE);
  const canvas = document.createElement('canvas');
  canvas.width = out.width;
  canvas.height = out.height;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('canvas unavailable');
  const png = source.type === 'image/png';
  if (!png) {
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, out.width, out.height);
  }
  ctx.imageSmoothingQuality = 'high';
  ctx.scale(out.width / px.width, out.height / px.height);
  ctx.translate(-px.x, -px.y);
  applyRotation(ctx, image, rotation);
  ctx.drawImage(image, 0, 0);
  const type = png ? 'image/png' : 'image/jpeg';
  const blob = await new Promise<Blob>((resolve, reject) =>
    canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('encoding failed'))), type, JPEG_QUALITY),
  );
  const stem = source.name.replace(/\.[^.]+$/, '') || 'image';
  return new File([blob], `${stem}.${png ? 'png' : 'jpg'}`, { type });
}
