import type { FileLink, FileVariant } from '@zhixin/protocol';
import { client } from '../../app/client.ts';

/** A link is reused until this close to its expiry (a download started later could fail). */
const MARGIN_MS = 30_000;

export interface LinkRequest {
  fileId: string;
  conversationId?: string;
  variant?: FileVariant;
  disposition?: 'inline' | 'attachment';
}

const cached = new Map<string, FileLink>();
const inFlight = new Map<string, Promise<FileLink>>();

function keyOf(r: LinkRequest): string {
  return [r.fileId, r.conversationId ?? '', r.variant ?? 'original', r.disposition ?? 'inline'].join(':');
}

/**
 * A signed, short-lived download link for a file, cached until shortly before it expires;
 * concurrent askers share one request.
 */
export function fileLink(r: LinkRequest): Promise<FileLink> {
  const key = keyOf(r);
  const held = cached.get(key);
  if (held && held.expiresAt - Date.now() > MARGIN_MS) return Promise.resolve(held);
  const running = inFlight.get(key);
  if (running) return running;
  const request = client
    .call('files.link', {
      id: r.fileId,
      ...(r.conversationId ? { conversationId: r.conversationId } : {}),
      ...(r.variant ? { variant: r.variant } : {}),
      ...(r.disposition ? { disposition: r.disposition } : {}),
    })
    .then((link) => {
      cached.set(key, link);
      return link;
    })
    .finally(() => inFlight.delete(key));
  inFlight.set(key, request);
  return request;
}

/** Forget every link (sign-out, cache cleared). */
export function forgetLinks(): void {
  cached.clear();
}
