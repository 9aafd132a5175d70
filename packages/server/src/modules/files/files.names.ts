import { AppError } from '../../errors.ts';

const MAX_NAME_BYTES = 255;
/** C0 and C1 controls and DEL, and the Unicode bidi overrides that disguise extensions (`exe.txt`). */
function hasForbiddenCharacter(name: string): boolean {
  for (const ch of name) {
    const c = ch.codePointAt(0)!;
    if (
      c < 0x20 ||
      (c >= 0x7f && c <= 0x9f) ||
      (c >= 0x202a && c <= 0x202e) ||
      (c >= 0x2066 && c <= 0x2069)
    ) {
      return true;
    }
  }
  return false;
}

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
  if (hasForbiddenCharacter(name)) throw new AppError('FILE_NAME_INVALID', { reason: 'control characters' });
  if (Buffer.byteLength(name, 'utf8') > MAX_NAME_BYTES) {
    throw new AppError('FILE_NAME_INVALID', { reason: 'too long', maxBytes: MAX_NAME_BYTES });
  }
  return name;
}

/** `Content-Disposition` with an ASCII fallback and the RFC 5987 UTF-8 name. */
export function contentDisposition(kind: 'inline' | 'attachment', name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const encoded = encodeURIComponent(name).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${kind}; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
