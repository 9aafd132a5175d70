import { useEffect, useMemo, useRef, useState } from 'react';
import { useLayoutKind } from '../app/layout.ts';
import { FONT_SCALE, usePreferences } from '../app/preferences.ts';
import { useSession } from '../app/session.ts';
import { guardNode, type GuardedNode } from './guard.ts';
import { refreshClientPolicy, useClientPolicy } from '../features/system/client-policy.ts';
import { renderWatermark } from './template.ts';
import { formatDate, tileParams } from './text.ts';
import { drawTile } from './tile.ts';

/** Every declaration !important: an inline !important beats any stylesheet rule aimed at it. */
function overlayStyle(image: string, width: number, height: number): string {
  const rules: Record<string, string> = {
    position: 'fixed',
    inset: '0',
    width: 'auto',
    height: 'auto',
    margin: '0',
    padding: '0',
    border: 'none',
    'z-index': '2147483647',
    'pointer-events': 'none',
    display: 'block',
    visibility: 'visible',
    opacity: '1',
    transform: 'none',
    filter: 'none',
    'clip-path': 'none',
    'mix-blend-mode': 'normal',
    'background-color': 'transparent',
    'background-image': image ? `url("${image}")` : 'none',
    'background-repeat': 'repeat',
    'background-position': '0 0',
    'background-size': `${width}px ${height}px`,
    'print-color-adjust': 'exact',
  };
  return Object.entries(rules)
    .map(([name, value]) => `${name}: ${value} !important`)
    .join('; ');
}

/**
 * The faint tiled watermark over every signed-in screen (R-C8): nickname, phone tail (or account
 * id) and date, so a photo of the screen says whose it was. Kept as a node of its own under <body>,
 * outside React, so removing or restyling it is undone at once (see guard.ts).
 */
export function Watermark() {
  const me = useSession((s) => s.me);
  const fontSize = usePreferences((p) => p.fontSize);
  const [day, setDay] = useState(() => formatDate(new Date()));
  const style = useRef('');
  const guard = useRef<GuardedNode | null>(null);

  useEffect(() => {
    const timer = window.setInterval(() => setDay(formatDate(new Date())), 60_000);
    return () => window.clearInterval(timer);
  }, []);

  // Phones get narrower tiles; the width only matters across the layout breakpoint.
  const viewportWidth = useLayoutKind() === 'mobile' ? window.innerWidth : Number.POSITIVE_INFINITY;
  const id = me?.id ?? '';
  const nickname = me?.nickname ?? '';
  const phone = me?.phone ?? '';
  const account = me?.account ?? null;
  // The operator's template (system settings); the default until the server says otherwise.
  const template = useClientPolicy((p) => p.watermarkTemplate);
  useEffect(() => {
    // Offline or refused: keep the template we have (the default draws the classic marks).
    if (id) refreshClientPolicy().catch(() => undefined);
  }, [id]);
  const css = useMemo(() => {
    const params = tileParams(FONT_SCALE[fontSize], viewportWidth);
    // `day` is a dependency so the date on the tiles turns over at midnight.
    const lines = renderWatermark(template, { id, nickname, phone, account }, new Date());
    const image = id ? drawTile(lines, params, window.devicePixelRatio || 1) : '';
    return overlayStyle(image, params.width, params.height);
  }, [id, nickname, phone, account, template, fontSize, day, viewportWidth]);

  useEffect(() => {
    const node = document.createElement('div');
    guard.current = guardNode(document.body, node, () => ({
      class: 'zx-watermark',
      'data-testid': 'watermark',
      'aria-hidden': 'true',
      style: style.current,
    }));
    return () => {
      guard.current?.stop();
      guard.current = null;
    };
  }, []);

  useEffect(() => {
    style.current = css;
    guard.current?.refresh();
  }, [css]);

  return null;
}
