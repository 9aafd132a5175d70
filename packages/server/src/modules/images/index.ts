import type { FastifyInstance } from 'fastify';
import type { ModuleDeps } from '../deps.ts';
import { ImagesRepo } from './images.repo.ts';
import { registerImageRoute, registerImagesOps } from './images.routes.ts';
import { createImagesService, type ImagesService } from './images.service.ts';

export type { ImagesService } from './images.service.ts';
export { imageUrl } from './images.service.ts';
export { MAX_IMAGE_BYTES } from './images.magic.ts';

/** The images module: small uploaded pictures (avatars, launch and welcome pages). */
export function createImagesModule(deps: ModuleDeps): ImagesService {
  const images = createImagesService(new ImagesRepo(deps.platform.db));
  registerImagesOps(deps.ops, images);
  return images;
}

/** The raw `GET /api/v1/images/:id` route, once the HTTP server exists. */
export function registerImagesHttp(http: FastifyInstance, images: ImagesService): void {
  registerImageRoute(http, images);
}
