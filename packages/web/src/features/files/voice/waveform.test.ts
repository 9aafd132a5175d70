import { describe, expect, it } from 'vitest';
import { peaksOf } from './waveform.ts';

describe('peaksOf', () => {
  it('scales the loudest bar to 1 and keeps silence at 0', () => {
    const samples = new Float32Array(400);
    samples.fill(0.5, 0, 100);
    samples.fill(0.25, 100, 200);
    expect(peaksOf(samples, 4)).toEqual([1, 0.5, 0, 0]);
  });

  it('returns the requested number of bars even for very short input', () => {
    expect(peaksOf(new Float32Array(3), 8)).toHaveLength(8);
  });
});
