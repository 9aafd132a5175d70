import { API_PREFIX } from '@zhixin/protocol';
import type { FastifyInstance } from 'fastify';
import type { OperationRegistry } from '../../http/operations.ts';
import { requirePrincipal } from '../../http/principal.ts';
import type { ImagesService } from './images.service.ts';

const ID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

/** images.upload, an ordinary operation. */
export function registerImagesOps(ops: OperationRegistry, images: ImagesService): void {
  ops.register('images.upload', async (req, ctx) =>
    images.upload(requirePrincipal(ctx).userId, req.mime, req.dataBase64),
  );
}

/**
 * `GET /api/v1/images/:id`: the bytes, for `<img src>`. It needs no session because an `<img>` cannot
 * send a bearer token: the id is the capability. Its 80 random bits are fresh per image
 * (newCapabilityId), so ids cannot be guessed from one's own uploads. Images are immutable, hence the
 * year-long cache; nosniff keeps browsers from reading them as anything but the stored type.
 */
export function registerImageRoute(http: FastifyInstance, images: ImagesService): void {
  http.get<{ Params: { id: string } }>(
    `${API_PREFIX}/images/:id`,
    { schema: { hide: true } },
    async (req, reply) => {
      const image = ID.test(req.params.id) ? await images.get(req.params.id) : null;
      if (!image) {
        return reply.status(404).send({ error: { code: 'NOT_FOUND', message: 'image not found' } });
      }
      const etag = `"${image.sha256}"`;
      void reply
        .header('content-type', image.mime)
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'public, max-age=31536000, immutable')
        .header('etag', etag);
      if (req.headers['if-none-match'] === etag) return reply.status(304).send();
      return reply.send(image.bytes);
    },
  );
}
