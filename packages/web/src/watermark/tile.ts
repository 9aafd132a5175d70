import type { TileParams } from './text.ts';

/**
 * One tile of the watermark as a PNG data URL. Each line is drawn twice, dark and light, at the
 * same faint alpha: the dark copy shows on white panes, the light one on the dark rail and images.
 */
export function drawTile(lines: readonly string[], params: TileParams, pixelRatio: number): string {
  const canvas = document.createElement('canvas');
  const ratio = Math.max(1, Math.min(3, pixelRatio));
  canvas.width = Math.round(params.width * ratio);
  canvas.height = Math.round(params.height * ratio);
  const ctx = canvas.getContext('2d');
  if (!ctx) return '';
  ctx.scale(ratio, ratio);
  ctx.translate(params.width / 2, params.height / 2);
  ctx.rotate((params.angleDeg * Math.PI) / 180);
  ctx.font = `${params.fontPx}px -apple-system, 'PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK SC', sans-serif`;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  const top = -((lines.length - 1) * params.lineHeightPx) / 2;
  lines.forEach((line, i) => {
    const y = top + i * params.lineHeightPx;
    ctx.fillStyle = `rgba(0, 0, 0, ${params.alpha})`;
    ctx.fillText(line, 0, y);
    ctx.fillStyle = `rgba(255, 255, 255, ${params.alpha})`;
    ctx.fillText(line, 1, y + 1);
  });
  return canvas.toDataURL('image/png');
}
