#!/usr/bin/env node
// Draws the app icons (a blue rounded square with a white chat bubble) into public/icons/ as PNGs,
// with no image library: shapes are tested per subpixel (4x4 supersampling) and written with
// node:zlib. Run it after changing the design: `node packages/web/scripts/make-icons.mjs`.
import { Buffer } from 'node:buffer';
import console from 'node:console';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const OUT = join(dirname(fileURLToPath(import.meta.url)), '..', 'public', 'icons');
const BLUE = [0x16, 0x77, 0xff];
const WHITE = [0xff, 0xff, 0xff];
const SUPERSAMPLE = 4;

/** Inside a rounded rectangle given in unit coordinates (0..1)? */
function inRoundedRect(x, y, left, top, right, bottom, radius) {
  if (x < left || x > right || y < top || y > bottom) return false;
  const cx = Math.min(Math.max(x, left + radius), right - radius);
  const cy = Math.min(Math.max(y, top + radius), bottom - radius);
  return (x - cx) ** 2 + (y - cy) ** 2 <= radius ** 2;
}

/** Inside the triangle a, b, c? (sign of the three edge cross products) */
function inTriangle(x, y, [ax, ay], [bx, by], [cx, cy]) {
  const d1 = (x - bx) * (ay - by) - (ax - bx) * (y - by);
  const d2 = (x - cx) * (by - cy) - (bx - cx) * (y - cy);
  const d3 = (x - ax) * (cy - ay) - (cx - ax) * (y - ay);
  const neg = d1 < 0 || d2 < 0 || d3 < 0;
  const pos = d1 > 0 || d2 > 0 || d3 > 0;
  return !(neg && pos);
}

/**
 * The chat bubble, scaled into a box of `scale` around the centre: a rounded body, a tail at the
 * lower left and three dots "typed" into it (dots are holes, so they show the background).
 */
function bubbleAt(x, y, scale) {
  const u = (x - 0.5) / scale + 0.5;
  const v = (y - 0.5) / scale + 0.5;
  const body = inRoundedRect(u, v, 0.14, 0.2, 0.86, 0.7, 0.16);
  const tail = inTriangle(u, v, [0.26, 0.62], [0.46, 0.66], [0.2, 0.84]);
  if (!body && !tail) return false;
  for (const dx of [0.33, 0.5, 0.67]) if ((u - dx) ** 2 + (v - 0.45) ** 2 <= 0.055 ** 2) return false;
  return true;
}

/** RGBA pixels of one icon; `maskable` fills the whole square and keeps the bubble in the safe zone. */
function draw(size, maskable) {
  const px = Buffer.alloc(size * size * 4);
  const n = SUPERSAMPLE * SUPERSAMPLE;
  for (let py = 0; py < size; py++) {
    for (let pxl = 0; pxl < size; pxl++) {
      let bg = 0;
      let fg = 0;
      for (let sy = 0; sy < SUPERSAMPLE; sy++) {
        for (let sx = 0; sx < SUPERSAMPLE; sx++) {
          const x = (pxl + (sx + 0.5) / SUPERSAMPLE) / size;
          const y = (py + (sy + 0.5) / SUPERSAMPLE) / size;
          const inside = maskable || inRoundedRect(x, y, 0.03, 0.03, 0.97, 0.97, 0.2);
          if (!inside) continue;
          bg++;
          if (bubbleAt(x, y, maskable ? 0.72 : 0.9)) fg++;
        }
      }
      const alpha = bg / n;
      const white = bg === 0 ? 0 : fg / bg;
      const o = (py * size + pxl) * 4;
      for (let c = 0; c < 3; c++) px[o + c] = Math.round(BLUE[c] * (1 - white) + WHITE[c] * white);
      px[o + 3] = Math.round(alpha * 255);
    }
  }
  return px;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** An 8-bit RGBA PNG: signature, IHDR, one IDAT (each row prefixed with filter 0), IEND. */
function png(size, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 6, 0, 0, 0], 8);
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) rgba.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

mkdirSync(OUT, { recursive: true });
for (const size of [192, 512]) {
  writeFileSync(join(OUT, `icon-${size}.png`), png(size, draw(size, false)));
  writeFileSync(join(OUT, `maskable-${size}.png`), png(size, draw(size, true)));
}
console.log(`icons written to ${OUT}`);
