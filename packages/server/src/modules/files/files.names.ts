import { AppError } from '../../errors.ts';

const MAX_NAME_BYTES = 255;
// C0 and C1 controls, DEL, and the Unicode bidi overrides that disguise extensions (`exe.txt`).
const FORBIDDEN = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u;

/**
 * The name to keep for an uploaded file: the last path segment of what the client sent (either
 * slash), trimmed. FILE_NAME_INVALID when nothing is left, it is `.`/`..`, holds control
 * characters, or exceeds 255 bytes of UTF-8. The name is only ever shown and sent in
 * Content-Disposition; blobs are stored under the file id, never under this name.
 */
export function sanitizeFileName(raw: string): string {
  const last = raw.split(/[\\/]/).pop() ?? '';
  const name = last.trim();
  if (!name || name === '.' || name === '..') throw new AppError('FILE_NAME_INVALID', { reason: 'empty' });
  if (FORBIDDEN.test(name)) throw new AppError('FILE_NAME_INVALID', { reason: 'control characters' });
  if (Buffer.byteLength(name, 'utf8') > MAX_NAME_BYTES) {
    throw new AppError('FILE_NAME_INVALID', { reason: 'too long', maxBytes: MAX_NAME_BYTES });
  }
  return name;
}

/** `Content-Disposition` with an ASCII fallback and the RFC 5987 UTF-8 name. */
export function contentDisposition(kind: 'inline' | 'attachment', name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${kind}; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
