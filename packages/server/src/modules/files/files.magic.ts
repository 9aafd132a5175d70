/** A magic-number rule: bytes at an offset. */
interface Magic {
  mime: string;
  at: number;
  bytes: readonly number[];
  /** A second signature that must also match (e.g. RIFF containers). */
  and?: { at: number; bytes: readonly number[] };
}

const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));

const TABLE: readonly Magic[] = [
  { mime: 'image/png', at: 0, bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { mime: 'image/jpeg', at: 0, bytes: [0xff, 0xd8, 0xff] },
  { mime: 'image/gif', at: 0, bytes: ascii('GIF8') },
  { mime: 'image/webp', at: 0, bytes: ascii('RIFF'), and: { at: 8, bytes: ascii('WEBP') } },
  { mime: 'audio/wav', at: 0, bytes: ascii('RIFF'), and: { at: 8, bytes: ascii('WAVE') } },
  { mime: 'video/x-msvideo', at: 0, bytes: ascii('RIFF'), and: { at: 8, bytes: ascii('AVI ') } },
  { mime: 'image/bmp', at: 0, bytes: ascii('BM') },
  { mime: 'application/pdf', at: 0, bytes: ascii('%PDF-') },
  { mime: 'application/zip', at: 0, bytes: [0x50, 0x4b, 0x03, 0x04] },
  { mime: 'application/gzip', at: 0, bytes: [0x1f, 0x8b] },
  { mime: 'application/x-7z-compressed', at: 0, bytes: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c] },
  { mime: 'application/vnd.rar', at: 0, bytes: ascii('Rar!') },
  { mime: 'application/x-ole-storage', at: 0, bytes: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1] },
  { mime: 'audio/ogg', at: 0, bytes: ascii('OggS') },
  { mime: 'audio/flac', at: 0, bytes: ascii('fLaC') },
  { mime: 'audio/mpeg', at: 0, bytes: ascii('ID3') },
  { mime: 'video/webm', at: 0, bytes: [0x1a, 0x45, 0xdf, 0xa3] },
  { mime: 'video/mp4', at: 4, bytes: ascii('ftyp') },
  { mime: 'application/x-executable', at: 0, bytes: [0x7f, 0x45, 0x4c, 0x46] },
  { mime: 'application/x-msdownload', at: 0, bytes: ascii('MZ') },
];

/** Container formats whose more specific type the client may name (a .docx is a zip, an .m4a an mp4). */
const REFINABLE: Record<string, RegExp> = {
  'application/zip':
    /^application\/(vnd\.openxmlformats-officedocument\.|vnd\.oasis\.opendocument\.|java-archive|epub\+zip)/,
  'application/x-ole-storage': /^application\/(msword|vnd\.ms-)/,
  'video/mp4': /^(video|audio)\/(mp4|quicktime|x-m4a|mp4a-latm|3gpp)$/,
  'video/webm': /^audio\/webm$/,
  'audio/ogg': /^(audio|video)\/ogg$/,
};

function matches(head: Uint8Array, at: number, bytes: readonly number[]): boolean {
  return bytes.every((b, i) => head[at + i] === b);
}

function looksLikeText(head: Uint8Array): boolean {
  if (head.length === 0) return false;
  const text = Buffer.from(head).toString('utf8');
  // Invalid UTF-8 decodes to U+FFFD; a NUL byte means binary.
  return !text.includes('\u0000') && !text.slice(0, -4).includes('\uFFFD');
}

/**
 * The type the content really is, from its first bytes; the client's claim is used only to pick a
 * more specific type of the same container. Unknown binary is `application/octet-stream`; text is
 * `text/plain` (never HTML or SVG: those would be active content when served).
 */
export function sniffMime(head: Uint8Array, declared: string): string {
  const claim = declared.toLowerCase().split(';')[0]!.trim();
  for (const m of TABLE) {
    if (!matches(head, m.at, m.bytes)) continue;
    if (m.and && !matches(head, m.and.at, m.and.bytes)) continue;
    const refine = REFINABLE[m.mime];
    return refine?.test(claim) ? claim : m.mime;
  }
  if (/^audio\/mpeg$/.test(claim) && head[0] === 0xff && ((head[1] ?? 0) & 0xe0) === 0xe0)
    return 'audio/mpeg';
  return looksLikeText(head) ? 'text/plain' : 'application/octet-stream';
}

/** Types a browser may show inline without risk (no script, no markup). */
export function isInlineSafe(mime: string): boolean {
  return /^(image\/(png|jpeg|gif|webp|bmp)|video\/(mp4|webm|ogg|quicktime)|audio\/[a-z0-9.+-]+|application\/pdf)$/.test(
    mime,
  );
}
