/** What the first bytes of a file say it is: the media families the processor handles. */
export type SniffedKind = 'image' | 'av';

export interface Sniffed {
  kind: SniffedKind;
  /** The MIME type for images; for audio/video containers a first guess that ffprobe refines. */
  mime: string;
}

const ascii = (head: Buffer, start: number, end: number) => head.toString('latin1', start, end);

/** ISO base media (MP4, MOV, HEIF, AVIF): the brand in the `ftyp` box. */
function isoBrand(head: Buffer): string | null {
  return head.length >= 12 && ascii(head, 4, 8) === 'ftyp' ? ascii(head, 8, 12) : null;
}

const HEIF_BRANDS = new Set(['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'mif1', 'msf1']);

/** Sniff images and audio/video containers from at least the first 16 bytes; null when unknown. */
export function sniff(head: Buffer): Sniffed | null {
  if (head.length < 12) return null;
  if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return { kind: 'image', mime: 'image/jpeg' };
  if (head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])))
    return { kind: 'image', mime: 'image/png' };
  if (ascii(head, 0, 4) === 'GIF8') return { kind: 'image', mime: 'image/gif' };
  if (ascii(head, 0, 4) === 'RIFF' && ascii(head, 8, 12) === 'WEBP')
    return { kind: 'image', mime: 'image/webp' };
  if (ascii(head, 0, 4) === 'RIFF' && ascii(head, 8, 12) === 'WAVE') return { kind: 'av', mime: 'audio/wav' };
  const brand = isoBrand(head);
  if (brand !== null) {
    if (brand === 'avif' || brand === 'avis') return { kind: 'image', mime: 'image/avif' };
    if (HEIF_BRANDS.has(brand)) return { kind: 'image', mime: 'image/heic' };
    if (brand === 'qt  ') return { kind: 'av', mime: 'video/quicktime' };
    if (brand.startsWith('M4A')) return { kind: 'av', mime: 'audio/mp4' };
    return { kind: 'av', mime: 'video/mp4' };
  }
  if (head.readUInt32BE(0) === 0x1a45dfa3) return { kind: 'av', mime: 'video/webm' };
  if (ascii(head, 0, 4) === 'OggS') return { kind: 'av', mime: 'audio/ogg' };
  if (ascii(head, 0, 3) === 'ID3' || (head[0] === 0xff && ((head[1] ?? 0) & 0xe0) === 0xe0))
    return { kind: 'av', mime: 'audio/mpeg' };
  return null;
}
