import { describe, expect, it } from 'vitest';
import {
  initialCrop,
  moveCrop,
  outputSize,
  pixelCrop,
  resizeCrop,
  rotateClockwise,
  rotatedSize,
} from './crop-math.ts';

const LANDSCAPE = { width: 800, height: 600 };

describe('crop geometry', () => {
  it('starts with the largest centred rectangle of the chosen ratio', () => {
    expect(initialCrop(LANDSCAPE, '1:1')).toEqual({ x: 100, y: 0, width: 600, height: 600 });
    expect(initialCrop(LANDSCAPE, '16:9')).toEqual({ x: 0, y: 75, width: 800, height: 450 });
    expect(initialCrop(LANDSCAPE, '3:4')).toEqual({ x: 175, y: 0, width: 450, height: 600 });
    expect(initialCrop(LANDSCAPE, 'free')).toEqual({ x: 0, y: 0, width: 800, height: 600 });
  });

  it('swaps the sides on a quarter turn and comes back after four', () => {
    expect(rotatedSize(LANDSCAPE, 90)).toEqual({ width: 600, height: 800 });
    expect(rotatedSize(LANDSCAPE, 180)).toEqual(LANDSCAPE);
    let r = rotateClockwise(0);
    r = rotateClockwise(rotateClockwise(rotateClockwise(r)));
    expect(r).toBe(0);
  });

  it('stops a moved crop at the edges of the picture', () => {
    const crop = { x: 100, y: 0, width: 600, height: 600 };
    expect(moveCrop(crop, 500, 40, LANDSCAPE)).toEqual({ ...crop, x: 200, y: 0 });
    expect(moveCrop(crop, -500, -40, LANDSCAPE)).toEqual({ ...crop, x: 0, y: 0 });
  });

  it('keeps a fixed ratio and the opposite corner while resizing', () => {
    const crop = { x: 100, y: 0, width: 600, height: 600 };
    const smaller = resizeCrop(crop, 'se', -200, -50, LANDSCAPE, '1:1');
    expect(smaller).toEqual({ x: 100, y: 0, width: 400, height: 400 });
    const fromNw = resizeCrop(crop, 'nw', 300, 0, LANDSCAPE, '1:1');
    expect(fromNw.x + fromNw.width).toBe(700);
    expect(fromNw.y + fromNw.height).toBe(600);
    expect(fromNw.width).toBe(fromNw.height);
  });

  it('never grows past the picture nor shrinks below the minimum side', () => {
    const crop = { x: 0, y: 0, width: 400, height: 300 };
    expect(resizeCrop(crop, 'se', 5000, 5000, LANDSCAPE, 'free')).toEqual({
      x: 0,
      y: 0,
      width: 800,
      height: 600,
    });
    const tiny = resizeCrop(crop, 'se', -5000, -5000, LANDSCAPE, 'free');
    expect(tiny.width).toBe(32);
    expect(tiny.height).toBe(32);
    const wide = resizeCrop({ x: 0, y: 0, width: 160, height: 90 }, 'se', 5000, 0, LANDSCAPE, '16:9');
    expect(wide).toEqual({ x: 0, y: 0, width: 800, height: 450 });
  });

  it('rounds to whole pixels without breaking a square', () => {
    expect(pixelCrop({ x: 10.4, y: 0.6, width: 300.5, height: 300.4 }, LANDSCAPE, '1:1')).toEqual({
      x: 10,
      y: 1,
      width: 300,
      height: 300,
    });
  });

  it('scales a large crop down to the longest allowed side, keeping its shape', () => {
    expect(outputSize({ width: 4000, height: 3000 }, 2560)).toEqual({ width: 2560, height: 1920 });
    expect(outputSize({ width: 3001, height: 3001 }, 2560)).toEqual({ width: 2560, height: 2560 });
    expect(outputSize({ width: 300, height: 200 }, 2560)).toEqual({ width: 300, height: 200 });
  });
});
