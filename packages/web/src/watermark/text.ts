/** Who the watermark names: enough of the account to trace a photo of the screen (R-C8). */
export interface WatermarkIdentity {
  id: string;
  nickname: string;
  phone: string;
}

/** `YYYY-MM-DD` in local time. */
export function formatDate(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** The two lines of each tile: "<nickname> <last 4 phone digits, else the account id>" and the date. */
export function watermarkLines(who: WatermarkIdentity, date: Date): [string, string] {
  const digits = who.phone.replace(/\D/g, '');
  const account = digits.length >= 4 ? digits.slice(-4) : who.id;
  const name = who.nickname.trim();
  return [name ? `${name} ${account}` : account, formatDate(date)];
}

export interface TileParams {
  /** Tile size in CSS pixels. */
  width: number;
  height: number;
  fontPx: number;
  lineHeightPx: number;
  /** Rotation of the text, in degrees (negative: rising to the right). */
  angleDeg: number;
  /** Opacity of the dark and the light stroke of the text. */
  alpha: number;
}

/** A tile is never narrower than this (the text must fit in it), in CSS pixels. */
const MIN_TILE_WIDTH = 170;

/**
 * How a tile is drawn at a font scale: the text grows with the font step and the tile with it, so
 * the pattern's density stays the same at every size. On a narrow screen the tile narrows to at most
 * half the viewport, so a phone carries at least two columns of marks.
 */
export function tileParams(scale: number, viewportWidth = Number.POSITIVE_INFINITY): TileParams {
  const fontPx = Math.round(15 * scale);
  return {
    width: Math.round(Math.max(MIN_TILE_WIDTH, Math.min(300 * scale, viewportWidth / 2))),
    height: Math.round(190 * scale),
    fontPx,
    lineHeightPx: Math.round(fontPx * 1.5),
    angleDeg: -20,
    alpha: 0.12,
  };
}
