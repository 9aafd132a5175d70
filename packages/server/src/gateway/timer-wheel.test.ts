import { afterEach, describe, expect, it, vi } from 'vitest';
import { TimerWheel, type WheelEntry } from './timer-wheel.ts';

class Entry implements WheelEntry {
  wheelPrev: WheelEntry | null = null;
  wheelNext: WheelEntry | null = null;
  wheelDue = -1;
  constructor(readonly name: string) {}
}

function wheel(slots = 8, onDue: (e: Entry, w: TimerWheel<Entry>) => void = () => {}) {
  const fired: string[] = [];
  const w: TimerWheel<Entry> = new TimerWheel<Entry>({
    tickMs: 250,
    slots,
    onDue: (e) => {
      fired.push(`${w.tick}:${e.name}`);
      onDue(e, w);
    },
  });
  return { w, fired };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('TimerWheel', () => {
  it('calls each entry at its tick, once, in any slot order', () => {
    const { w, fired } = wheel();
    const [a, b, c] = [new Entry('a'), new Entry('b'), new Entry('c')];
    w.schedule(a, 3);
    w.schedule(b, 1);
    w.schedule(c, 3);
    expect(w.size).toBe(3);
    for (let i = 0; i < 10; i++) w.advance();
    expect(fired.sort()).toEqual(['1:b', '3:a', '3:c']);
    expect(w.size).toBe(0);
    expect([a.wheelDue, b.wheelDue, c.wheelDue]).toEqual([-1, -1, -1]);
    w.stop();
  });

  it('waits whole extra turns for deadlines further than the ring', () => {
    const { w, fired } = wheel(4);
    w.schedule(new Entry('far'), 10);
    for (let i = 0; i < 9; i++) w.advance();
    expect(fired).toEqual([]);
    w.advance();
    expect(fired).toEqual(['10:far']);
    w.stop();
  });

  it('moves a rescheduled entry and forgets a cancelled one', () => {
    const { w, fired } = wheel();
    const [a, b] = [new Entry('a'), new Entry('b')];
    w.schedule(a, 2);
    w.schedule(b, 2);
    w.schedule(a, 5);
    w.cancel(b);
    w.cancel(b);
    expect(w.size).toBe(1);
    for (let i = 0; i < 6; i++) w.advance();
    expect(fired).toEqual(['5:a']);
    w.stop();
  });

  it('lets a callback reschedule its entry (a periodic heartbeat) without running it twice a tick', () => {
    const { w, fired } = wheel(4, (e, wh) => wh.schedule(e, 4));
    w.schedule(new Entry('beat'), 4);
    for (let i = 0; i < 12; i++) w.advance();
    expect(fired).toEqual(['4:beat', '8:beat', '12:beat']);
    w.stop();
  });

  it('does not call an entry of the same tick that an earlier callback cancelled', () => {
    const entries = ['a', 'b', 'c'].map((n) => new Entry(n));
    // Whichever runs first cancels the other two (a closing connection closing others).
    const { w, fired } = wheel(8, (e, wh) => {
      for (const other of entries) if (other !== e) wh.cancel(other);
    });
    for (const e of entries) w.schedule(e, 2);
    w.advance();
    w.advance();
    expect(fired).toHaveLength(1);
    expect(w.size).toBe(0);
    w.stop();
  });

  it('runs the rest of a tick when one callback throws, then rethrows', () => {
    const { w, fired } = wheel(8, (e) => {
      if (e.name === 'bad') throw new Error('boom');
    });
    w.schedule(new Entry('bad'), 1);
    w.schedule(new Entry('good'), 1);
    expect(() => w.advance()).toThrow('boom');
    expect(fired.sort()).toEqual(['1:bad', '1:good']);
    w.stop();
  });

  it('ticks on its own while something is scheduled and stops when empty', () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const { w, fired } = wheel();
    w.schedule(new Entry('a'), w.ticksIn(1000));
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(999);
    expect(fired).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(fired).toEqual(['4:a']);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('rounds durations up to whole ticks, at least one', () => {
    const { w } = wheel();
    expect([w.ticksIn(0), w.ticksIn(1), w.ticksIn(250), w.ticksIn(251), w.ticksIn(25_000)]).toEqual([
      1, 1, 1, 2, 100,
    ]);
  });
});
