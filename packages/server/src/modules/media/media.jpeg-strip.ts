import { createReadStream, createWriteStream } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';

/** APP1 (EXIF, XMP), APP13 (IPTC, Photoshop) and comments: where a location or a camera hides. */
const DROPPED = new Set([0xe1, 0xed, 0xfe]);
/** Markers without a length field. */
const STANDALONE = (m: number) => m === 0x01 || (m >= 0xd0 && m <= 0xd7);
/** Headers longer than this are not a photo's: give up rather than read on. */
const MAX_HEADER_BYTES = 16 * 1024 * 1024;

/**
 * Copy a JPEG without its EXIF/XMP/IPTC segments, byte for byte otherwise (no decoding): for photos
 * too large to decode. The orientation tag goes with EXIF. Returns the copy's path, or undefined
 * when the file is not a well-formed JPEG or held no such segment.
 */
export async function stripJpegMetadata(path: string): Promise<string | undefined> {
  const handle = await open(path, 'r');
  const keep: Array<[start: number, end: number]> = [[0, 2]];
  let scanStart = -1;
  let dropped = false;
  try {
    const two = Buffer.alloc(4);
    let pos = 2;
    while (pos < MAX_HEADER_BYTES) {
      const { bytesRead } = await handle.read(two, 0, 4, pos);
      if (bytesRead < 2 || two[0] !== 0xff) return undefined;
      const marker = two[1] ?? 0;
      if (marker === 0xff) {
        pos += 1; // fill byte
        continue;
      }
      if (STANDALONE(marker)) {
        keep.push([pos, pos + 2]);
        pos += 2;
        continue;
      }
      if (bytesRead < 4) return undefined;
      const length = two.readUInt16BE(2);
      if (length < 2) return undefined;
      if (marker === 0xda) {
        scanStart = pos;
        break;
      }
      if (DROPPED.has(marker)) dropped = true;
      else keep.push([pos, pos + 2 + length]);
      pos += 2 + length;
    }
  } finally {
    await handle.close();
  }
  if (scanStart < 0 || !dropped) return undefined;
  const out = `${path}.clean`;
  const sink = createWriteStream(out);
  try {
    for (const [start, end] of keep)
      await pipeline(createReadStream(path, { start, end: end - 1 }), sink, { end: false });
    await pipeline(createReadStream(path, { start: scanStart }), sink);
    return out;
  } catch {
    sink.destroy();
    await rm(out, { force: true });
    return undefined;
  }
}
