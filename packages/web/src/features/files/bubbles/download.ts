import { client } from '../../../app/client.ts';
import { fileLink } from '../links.ts';

/** Up to this size a download runs in the page with a progress bar; larger ones go to the browser's
 * download manager (which shows progress itself and resumes with HTTP ranges). */
export const IN_PAGE_DOWNLOAD_BYTES = 100 * 1024 ** 2;

function save(href: string, name: string): void {
  const a = document.createElement('a');
  a.href = href;
  a.download = name;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
}

/**
 * Download a file the user may read and save it under its name. `onProgress` gets 0..1 while an
 * in-page download runs.
 */
export async function downloadFile(
  file: { fileId: string; name: string; size: number },
  conversationId: string,
  onProgress: (fraction: number) => void,
  signal?: AbortSignal,
): Promise<void> {
  const link = await fileLink({ fileId: file.fileId, conversationId, disposition: 'attachment' });
  if (file.size > IN_PAGE_DOWNLOAD_BYTES) return save(client.downloads.resolve(link.url), file.name);
  const blob = await client.downloads.blob(link.url, {
    signal,
    onProgress: ({ loaded, total }) => onProgress(Math.min(1, loaded / (total ?? file.size ?? 1))),
  });
  const url = URL.createObjectURL(blob);
  save(url, file.name);
  // The click has handed the blob to the download; give it a moment before freeing it.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
