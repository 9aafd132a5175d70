/** Sizes as people read them: 512 B, 1.5 KB, 20.3 MB, 1.0 GB. */
export function formatBytes(size: number): string {
  if (size < 1024) return `${size} B`;
  if (size < 1024 ** 2) return `${(size / 1024).toFixed(1)} KB`;
  if (size < 1024 ** 3) return `${(size / 1024 ** 2).toFixed(1)} MB`;
  return `${(size / 1024 ** 3).toFixed(1)} GB`;
}

/** A duration as m:ss (0:07, 1:00, 12:34). */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const minutes = Math.floor(total / 60);
  const seconds = total % 60;
  return `${minutes}:${String(seconds).padStart(2, '0')}`;
}

export type FileIconKind =
  'pdf' | 'word' | 'excel' | 'ppt' | 'zip' | 'image' | 'video' | 'audio' | 'text' | 'other';

const BY_EXTENSION: Record<string, FileIconKind> = {
  pdf: 'pdf',
  doc: 'word',
  docx: 'word',
  wps: 'word',
  xls: 'excel',
  xlsx: 'excel',
  csv: 'excel',
  et: 'excel',
  ppt: 'ppt',
  pptx: 'ppt',
  dps: 'ppt',
  zip: 'zip',
  rar: 'zip',
  '7z': 'zip',
  gz: 'zip',
  tar: 'zip',
  txt: 'text',
  md: 'text',
  log: 'text',
};

/** Which icon a file gets: by its extension first (what users recognise), then by its MIME type. */
export function fileIconKind(name: string, mime: string): FileIconKind {
  const ext = /\.([^.]+)$/.exec(name)?.[1]?.toLowerCase();
  const byExt = ext ? BY_EXTENSION[ext] : undefined;
  if (byExt) return byExt;
  if (mime === 'application/pdf') return 'pdf';
  if (mime.startsWith('image/')) return 'image';
  if (mime.startsWith('video/')) return 'video';
  if (mime.startsWith('audio/')) return 'audio';
  if (mime.startsWith('text/')) return 'text';
  return 'other';
}

/** How a picked file is sent: images and videos as media (when the browser can show them), else a file. */
export function sendKindOf(mime: string): 'image' | 'video' | 'file' {
  if (/^image\/(jpeg|png|gif|webp|bmp|avif)$/.test(mime)) return 'image';
  if (/^video\/(mp4|webm|ogg|quicktime)$/.test(mime)) return 'video';
  return 'file';
}
