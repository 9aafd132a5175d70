import { rm } from 'node:fs/promises';
import sharp, { type Metadata, type Sharp } from 'sharp';
import type { MediaFacts } from '../files/files.contract.ts';
import { stripJpegMetadata } from './media.jpeg-strip.ts';

/** Longest side of a thumbnail or poster frame. */
export const THUMBNAIL_MAX_PX = 320;
/** Images with more pixels are not decoded (no thumbnail, no cleaned copy): a decompression bomb guard. */
export const MAX_DECODE_PIXELS = 100_000_000;
const THUMBNAIL_MIME = 'image/webp';

/** The formats a cleaned copy is written in (the same as the upload, so nothing changes but metadata). */
const CLEANABLE = new Set(['jpeg', 'png', 'webp', 'avif', 'heif']);

function decoder(path: string | Buffer, animated = false): Sharp {
  return sharp(path, { limitInputPixels: MAX_DECODE_PIXELS, failOn: 'none', animated });
}

/** A WebP thumbnail, upright, at most THUMBNAIL_MAX_PX on its longest side. */
export async function thumbnailOf(input: string | Buffer): Promise<{ data: Buffer; mime: string }> {
  const data = await decoder(input)
    .autoOrient()
    .resize(THUMBNAIL_MAX_PX, THUMBNAIL_MAX_PX, { fit: 'inside', withoutEnlargement: true })
    .webp({ quality: 75 })
    .toBuffer();
  return { data, mime: THUMBNAIL_MIME };
}

/** Whether the file carries metadata that may hold a location or the camera's details. */
function hasPrivateMetadata(meta: Metadata): boolean {
  return (
    meta.exif !== undefined ||
    meta.xmp !== undefined ||
    meta.iptc !== undefined ||
    meta.tifftagPhotoshop !== undefined ||
    (meta.comments?.length ?? 0) > 0 ||
    (meta.orientation ?? 1) !== 1
  );
}

/**
 * Write a copy without EXIF (GPS, camera), XMP, IPTC or text chunks, rotated upright so the
 * orientation tag is no longer needed. Keeps the colour profile. Returns its path, or undefined.
 */
async function cleanCopy(path: string, meta: Metadata): Promise<string | undefined> {
  if (!CLEANABLE.has(meta.format) || !hasPrivateMetadata(meta)) return undefined;
  const animated = (meta.pages ?? 1) > 1;
  let image = decoder(path, animated).keepIccProfile();
  if (!animated) image = image.autoOrient();
  switch (meta.format) {
    case 'jpeg':
      image = image.jpeg({
        quality: 92,
        chromaSubsampling: meta.chromaSubsampling === '4:4:4' ? '4:4:4' : '4:2:0',
      });
      break;
    case 'png':
      image = image.png({ compressionLevel: 6 });
      break;
    case 'webp':
      image = image.webp({ quality: 92 });
      break;
    default:
      image = image.heif({ quality: 80, compression: meta.compression ?? 'av1' });
  }
  const out = `${path}.clean`;
  try {
    await image.toFile(out);
    return out;
  } catch {
    await rm(out, { force: true });
    return undefined;
  }
}

/**
 * Facts about an image: size upright, a thumbnail and, when it held metadata, a cleaned copy. An
 * image over `maxPixels` is not decoded: no thumbnail, and a JPEG's metadata is cut out byte-wise.
 */
export async function processImage(
  path: string,
  mime: string,
  maxPixels = MAX_DECODE_PIXELS,
): Promise<MediaFacts> {
  let meta: Metadata;
  try {
    meta = await sharp(path, { failOn: 'none' }).metadata();
  } catch {
    return { mime };
  }
  const facts: MediaFacts = { mime, width: meta.autoOrient.width, height: meta.autoOrient.height };
  if (meta.width * meta.height > maxPixels) {
    const stripped =
      meta.format === 'jpeg' && hasPrivateMetadata(meta) ? await stripJpegMetadata(path) : undefined;
    return stripped ? { ...facts, replacementPath: stripped } : facts;
  }
  try {
    facts.thumbnail = await thumbnailOf(path);
  } catch {
    // Undecodable pixels (e.g. HEIC without an HEVC decoder): the facts from the header stand.
  }
  const cleaned = await cleanCopy(path, meta);
  if (cleaned) facts.replacementPath = cleaned;
  return facts;
}
