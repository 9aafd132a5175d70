import type { FileVariant } from '@zhixin/protocol';
import { useEffect, useState } from 'react';
import { isExpiredError, mediaBlob } from '../media-cache.ts';

export type MediaUrlState =
  | { status: 'idle' | 'loading' }
  | { status: 'ready'; url: string; blob: Blob }
  | { status: 'expired' | 'error' };

/**
 * An object URL for a file's content (from the media cache, else downloaded), once `enabled`.
 * `variants` are tried in order: the thumbnail first, the original when there is no thumbnail.
 */
export function useMediaUrl(
  fileId: string,
  conversationId: string | undefined,
  variants: readonly FileVariant[],
  enabled: boolean,
): MediaUrlState {
  const [state, setState] = useState<MediaUrlState>({ status: 'idle' });
  const key = variants.join(',');
  useEffect(() => {
    if (!enabled) return;
    let live = true;
    let url: string | null = null;
    setState({ status: 'loading' });
    (async () => {
      let lastError: unknown = null;
      for (const variant of key.split(',') as FileVariant[]) {
        try {
          const blob = await mediaBlob({ fileId, conversationId, variant });
          if (!live) return;
          url = URL.createObjectURL(blob);
          return setState({ status: 'ready', url, blob });
        } catch (err) {
          lastError = err;
          if (isExpiredError(err) && variant === 'original') break;
        }
      }
      if (live) setState({ status: isExpiredError(lastError) ? 'expired' : 'error' });
    })();
    return () => {
      live = false;
      if (url) URL.revokeObjectURL(url);
    };
  }, [fileId, conversationId, key, enabled]);
  return state;
}
