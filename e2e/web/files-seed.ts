import { deflateSync } from 'node:zlib';
import type { Office } from './seed.ts';

/** CRC-32 of PNG chunks. */
function crc32(bytes: Uint8Array): number {
  let c = ~0;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return ~c >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** An RGB PNG with a diagonal two-colour gradient, encoded here (no image library needed). */
export function gradientPng(width: number, height: number): Buffer {
  const rows: Buffer[] = [];
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * 3);
    for (let x = 0; x < width; x++) {
      const t = (x / width + y / height) / 2;
      row[1 + x * 3] = Math.round(22 + t * (82 - 22));
      row[2 + x * 3] = Math.round(119 + t * (196 - 119));
      row[3 + x * 3] = Math.round(255 + t * (26 - 255));
    }
    rows.push(row);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/**
 * Media in the office's direct chat, sent through the SDK as a client would: the first colleague
 * sends a photo and a document (uploaded over tus, then sent as image and file messages).
 */
export async function seedMedia(office: Office): Promise<void> {
  const colleague = office.colleagues[0];
  if (!colleague) return;
  const { client } = colleague;
  const photo = await client.files.upload(gradientPng(640, 400), {
    name: '现场照片.png',
    mime: 'image/png',
    conversationId: office.chatId,
  }).promise;
  await client.messages.send(office.chatId, {
    kind: 'image',
    fileId: photo.id,
    mime: photo.mime,
    size: photo.size,
    width: photo.width ?? 640,
    height: photo.height ?? 400,
  });
  const doc = await client.files.upload(Buffer.from('致信 项目周报\n'.repeat(200)), {
    name: '项目周报.txt',
    mime: 'text/plain',
    conversationId: office.chatId,
  }).promise;
  await client.messages.send(office.chatId, {
    kind: 'file',
    fileId: doc.id,
    name: doc.name,
    mime: doc.mime,
    size: doc.size,
  });
}
