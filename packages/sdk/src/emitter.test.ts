import { describe, expect, it } from 'vitest';
import { TypedEmitter } from './emitter.ts';

interface Map {
  a: number;
  b: string;
}

describe('TypedEmitter', () => {
  it('calls listeners of an event until they unsubscribe', () => {
    const emitter = new TypedEmitter<Map>();
    const seen: number[] = [];
    const off = emitter.on('a', (n) => seen.push(n));
    emitter.emit('a', 1);
    off();
    emitter.emit('a', 2);
    expect(seen).toEqual([1]);
    expect(emitter.listenerCount('a')).toBe(0);
  });

  it('calls a once-listener once', () => {
    const emitter = new TypedEmitter<Map>();
    const seen: string[] = [];
    emitter.once('b', (s) => seen.push(s));
    emitter.emit('b', 'x');
    emitter.emit('b', 'y');
    expect(seen).toEqual(['x']);
  });

  it('keeps calling the other listeners when one throws, and reports the error', () => {
    const errors: unknown[] = [];
    const emitter = new TypedEmitter<Map>((e) => errors.push(e));
    const seen: number[] = [];
    emitter.on('a', () => {
      throw new Error('bad listener');
    });
    emitter.on('a', (n) => seen.push(n));
    emitter.emit('a', 7);
    expect(seen).toEqual([7]);
    expect((errors[0] as Error).message).toBe('bad listener');
  });
});
