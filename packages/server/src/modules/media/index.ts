import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/index.ts';
import type { Logger } from '../../platform/logger.ts';
import type { MediaProcessor } from '../files/index.ts';
import { HashLinksRepo } from './media.repo.ts';
import { createMediaProcessor } from './media.processor.ts';

export { createMediaProcessor, type HashLinks, type MediaProcessorOptions } from './media.processor.ts';
export { MAX_DECODE_PIXELS, THUMBNAIL_MAX_PX } from './media.images.ts';
export type { MediaTools } from './media.tools.ts';

export interface MediaModule {
  processor: MediaProcessor & { ready: Promise<boolean> };
  /** Hashes linked to this one (an upload's original and its cleaned copy), for traces. */
  linkedHashes(sha256: string): Promise<string[]>;
}

/** The media module: thumbnails, dimensions, durations and metadata-free copies of uploads. */
export function createMediaModule(deps: { db: Kysely<DB>; log: Logger }): MediaModule {
  const links = new HashLinksRepo(deps.db);
  return {
    processor: createMediaProcessor({ log: deps.log, links }),
    linkedHashes: (sha256) => links.linked(sha256),
  };
}
