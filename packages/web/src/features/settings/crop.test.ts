import { describe, expect, it } from 'vitest';
import { squareCrop } from './crop.ts';

describe('squareCrop', () => {
  it('keeps the centred square of a landscape or portrait picture', () => {
    expect(squareCrop(400, 300)).toEqual({ sx: 50, sy: 0, side: 300 });
    expect(squareCrop(300, 401)).toEqual({ sx: 0, sy: 50, side: 300 });
    expect(squareCrop(256, 256)).toEqual({ sx: 0, sy: 0, side: 256 });
  });
});
