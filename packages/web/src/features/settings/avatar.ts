import { client } from '../../app/client.ts';
import { squareCrop } from './crop.ts';
import { saveProfile } from './profile.ts';

export const AVATAR_SIZE = 256;
export const AVATAR_QUALITY = 0.85;

async function decode(file: Blob): Promise<ImageBitmap | HTMLImageElement> {
  if ('createImageBitmap' in window) return createImageBitmap(file);
  const url = URL.createObjectURL(file);
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    return img;
  } finally {
    URL.revokeObjectURL(url);
  }
}

/**
 * A picture as a 256×256 JPEG data URL (centre-cropped, quality 0.85): small enough for the
 * server's 512 KiB image limit whatever the camera produced.
 */
export async function avatarDataUrl(file: Blob): Promise<string> {
  const image = await decode(file);
  const { sx, sy, side } = squareCrop(image.width, image.height);
  const canvas = document.createElement('canvas');
  canvas.width = AVATAR_SIZE;
  canvas.height = AVATAR_SIZE;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('canvas unavailable');
  // JPEG has no transparency: a transparent PNG would turn black without a background.
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, AVATAR_SIZE, AVATAR_SIZE);
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(image, sx, sy, side, side, 0, 0, AVATAR_SIZE, AVATAR_SIZE);
  if ('close' in image) image.close();
  return canvas.toDataURL('image/jpeg', AVATAR_QUALITY);
}

/** Upload a prepared avatar and make it mine; the session's profile updates with it. */
export async function saveAvatar(dataUrl: string): Promise<void> {
  const base64 = dataUrl.slice(dataUrl.indexOf(',') + 1);
  const ref = await client.users.uploadImage('image/jpeg', base64);
  await saveProfile({ avatarFileId: ref.id });
}
