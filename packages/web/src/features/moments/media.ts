import type { FileLink, FileVariant } from '@zhixin/protocol';
import { useEffect, useState } from 'react';
import { client } from '../../app/client.ts';

/**
 * A moments file to show. The server lets whoever may see a post (or a page's cover) read its
 * files, so the link needs only the file.
 */
export interface MediaRef {
  fileId: string;
  variant?: FileVariant;
}

/** A link is reused until this close to its expiry. */
const MARGIN_MS = 30_000;
const links = new Map<string, FileLink>();
const running = new Map<string, Promise<FileLink>>();

function keyOf(r: MediaRef): string {
  return `${r.fileId}:${r.variant ?? 'original'}`;
}

/** A signed, short-lived URL for a moments image or video (cached until shortly before it expires). */
export function mediaLink(r: MediaRef): Promise<string> {
  const key = keyOf(r);
  const held = links.get(key);
  if (held && held.expiresAt - Date.now() > MARGIN_MS)
    return Promise.resolve(client.downloads.resolve(held.url));
  let job = running.get(key);
  if (!job) {
    job = client.files
      .link(r.fileId, r.variant ? { variant: r.variant } : {})
      .then((link) => {
        links.set(key, link);
        return link;
      })
      .finally(() => running.delete(key));
    running.set(key, job);
  }
  return job.then((link) => client.downloads.resolve(link.url));
}

export type MediaState = { status: 'loading' } | { status: 'ready'; src: string } | { status: 'error' };

/** The URL to show a moments file from, once its link is signed. */
export function useMediaSrc(ref: MediaRef | null): MediaState {
  const [state, setState] = useState<MediaState>({ status: 'loading' });
  const fileId = ref?.fileId;
  const variant = ref?.variant;
  useEffect(() => {
    if (!fileId) return;
    let live = true;
    setState({ status: 'loading' });
    mediaLink({ fileId, variant })
      .then((src) => live && setState({ status: 'ready', src }))
      .catch(() => live && setState({ status: 'error' }));
    return () => {
      live = false;
    };
  }, [fileId, variant]);
  return state;
}
