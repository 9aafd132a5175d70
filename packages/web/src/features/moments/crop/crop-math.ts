/**
 * The pure geometry of the image cropper: a crop rectangle over the picture as rotated by a
 * quarter turn, kept inside the picture and (unless free) at a fixed ratio. Coordinates are in
 * pixels of the rotated picture; the view scales them.
 */

/** Fixed shapes a crop may keep; `free` keeps none. */
export const CROP_RATIOS = ['free', '1:1', '4:3', '3:4', '16:9'] as const;
export type CropRatio = (typeof CROP_RATIOS)[number];

/** Quarter turns clockwise. */
export type Rotation = 0 | 90 | 180 | 270;

export interface Size {
  width: number;
  height: number;
}

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Which corner a drag resizes from. */
export type Corner = 'nw' | 'ne' | 'sw' | 'se';

/** A crop never gets smaller than this many pixels on a side. */
export const MIN_CROP_SIDE = 32;

/** Width divided by height of a ratio; null for free. */
export function ratioValue(ratio: CropRatio): number | null {
  if (ratio === 'free') return null;
  const [w, h] = ratio.split(':').map(Number) as [number, number];
  return w / h;
}

/** The next quarter turn clockwise. */
export function rotateClockwise(rotation: Rotation): Rotation {
  return ((rotation + 90) % 360) as Rotation;
}

/** The picture's size once turned. */
export function rotatedSize(image: Size, rotation: Rotation): Size {
  // Read the sides explicitly: an ImageBitmap's width and height are getters a spread would miss.
  return rotation % 180 === 0
    ? { width: image.width, height: image.height }
    : { width: image.height, height: image.width };
}

/** The largest centred rectangle of `ratio` inside `bounds` (all of it when free). */
export function initialCrop(bounds: Size, ratio: CropRatio): Rect {
  const r = ratioValue(ratio);
  if (r === null) return { x: 0, y: 0, width: bounds.width, height: bounds.height };
  let width = bounds.width;
  let height = width / r;
  if (height > bounds.height) {
    height = bounds.height;
    width = height * r;
  }
  return {
    x: (bounds.width - width) / 2,
    y: (bounds.height - height) / 2,
    width,
    height,
  };
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(Math.max(value, min), max);
}

/** The crop moved by (dx, dy), stopped at the picture's edges. */
export function moveCrop(rect: Rect, dx: number, dy: number, bounds: Size): Rect {
  return {
    ...rect,
    x: clamp(rect.x + dx, 0, bounds.width - rect.width),
    y: clamp(rect.y + dy, 0, bounds.height - rect.height),
  };
}

/**
 * The crop resized by dragging `corner` by (dx, dy): the opposite corner stays put, the size stays
 * within the picture and at least MIN_CROP_SIDE, and a fixed ratio is kept (the width leads).
 */
export function resizeCrop(
  rect: Rect,
  corner: Corner,
  dx: number,
  dy: number,
  bounds: Size,
  ratio: CropRatio,
): Rect {
  const r = ratioValue(ratio);
  const west = corner === 'nw' || corner === 'sw';
  const north = corner === 'nw' || corner === 'ne';
  // The fixed corner and how much room there is from it towards the dragged one.
  const anchorX = west ? rect.x + rect.width : rect.x;
  const anchorY = north ? rect.y + rect.height : rect.y;
  const roomX = west ? anchorX : bounds.width - anchorX;
  const roomY = north ? anchorY : bounds.height - anchorY;
  const min = Math.min(MIN_CROP_SIDE, roomX, roomY);
  let width = clamp(rect.width + (west ? -dx : dx), min, roomX);
  let height = clamp(rect.height + (north ? -dy : dy), min, roomY);
  if (r !== null) {
    height = width / r;
    if (height > roomY) {
      height = roomY;
      width = height * r;
    }
    if (height < min) {
      height = min;
      width = Math.min(height * r, roomX);
      height = width / r;
    }
  }
  return {
    x: west ? anchorX - width : anchorX,
    y: north ? anchorY - height : anchorY,
    width,
    height,
  };
}

/** The crop in whole pixels, inside the picture (what gets drawn). */
export function pixelCrop(rect: Rect, bounds: Size, ratio: CropRatio): Rect {
  const x = clamp(Math.round(rect.x), 0, bounds.width - 1);
  const y = clamp(Math.round(rect.y), 0, bounds.height - 1);
  let width = clamp(Math.round(rect.width), 1, bounds.width - x);
  let height = clamp(Math.round(rect.height), 1, bounds.height - y);
  // Rounding must not break an exact 1:1 square.
  if (ratio === '1:1') width = height = Math.min(width, height);
  return { x, y, width, height };
}

/**
 * The output size: the crop scaled down so no side exceeds `maxSide` (phones take huge pictures;
 * the feed never shows them larger), ratio kept.
 */
export function outputSize(crop: Size, maxSide: number): Size {
  const scale = Math.min(1, maxSide / Math.max(crop.width, crop.height));
  const width = Math.max(1, Math.round(crop.width * scale));
  const height = Math.max(1, Math.round(crop.height * scale));
  return crop.width === crop.height ? { width, height: width } : { width, height };
}
