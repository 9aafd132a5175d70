import { createHash } from 'node:crypto';
import { API_PREFIX, type ImageMime, type ImageRef } from '@zhixin/protocol';
import { AppError } from '../../errors.ts';
import { newCapabilityId } from '../../platform/ids.ts';
import { decodeBase64, MAX_IMAGE_BYTES, sniffImage } from './images.magic.ts';
import type { ImageRecord, ImagesRepo } from './images.repo.ts';

export interface ImagesService {
  /** Store an image after checking its bytes; IMAGE_INVALID (and nothing stored) otherwise. */
  upload(ownerId: string, mime: ImageMime, dataBase64: string): Promise<ImageRef>;
  /** The image with its bytes, or null. */
  get(id: string): Promise<ImageRecord | null>;
  /** IMAGE_NOT_FOUND unless the image exists and `ownerId` uploaded it. */
  requireOwned(ownerId: string, imageId: string): Promise<void>;
  /** IMAGE_NOT_FOUND unless every id names an existing image (anyone's). */
  requireExisting(imageIds: readonly string[]): Promise<void>;
}

/** Where an image is served (see registerImageRoute). */
export function imageUrl(id: string): string {
  return `${API_PREFIX}/images/${id}`;
}

export function createImagesService(repo: ImagesRepo, now: () => number = Date.now): ImagesService {
  return {
    async upload(ownerId, mime, dataBase64) {
      const bytes = decodeBase64(dataBase64);
      if (!bytes) throw new AppError('IMAGE_INVALID', { reason: 'not base64' });
      if (bytes.length > MAX_IMAGE_BYTES)
        throw new AppError('IMAGE_INVALID', { reason: 'too large', maxBytes: MAX_IMAGE_BYTES });
      const actual = sniffImage(bytes);
      if (actual !== mime) throw new AppError('IMAGE_INVALID', { reason: 'content', declared: mime, actual });
      const at = now();
      const id = newCapabilityId(at);
      await repo.insert({
        id,
        ownerId,
        mime,
        bytes,
        sha256: createHash('sha256').update(bytes).digest('hex'),
        size: bytes.length,
        createdAt: at,
      });
      return { id, url: imageUrl(id) };
    },

    get: (id) => repo.byId(id),

    async requireOwned(ownerId, imageId) {
      const owners = await repo.owners([imageId]);
      if (owners.get(imageId) !== ownerId) throw new AppError('IMAGE_NOT_FOUND', { imageId });
    },

    async requireExisting(imageIds) {
      const unique = [...new Set(imageIds)];
      const owners = await repo.owners(unique);
      const missing = unique.filter((id) => !owners.has(id));
      if (missing.length > 0) throw new AppError('IMAGE_NOT_FOUND', { imageIds: missing });
    },
  };
}
