import { forgetLinks } from './links.ts';
import { clearMediaCache } from './media-cache.ts';
import { restoreUploads, stopUploads } from './uploads/upload-runner.ts';

/** Signed in: show and continue the uploads a reload interrupted. */
export function startFiles(userId: string): void {
  void restoreUploads(userId).catch(() => undefined);
}

/** Signing out: stop uploads; at logout (`wipeFor`) also delete the user's upload queue and media cache. */
export async function stopFiles(wipeFor: string | null): Promise<void> {
  forgetLinks();
  if (wipeFor) await clearMediaCache().catch(() => 0);
  await stopUploads(wipeFor);
}
