import { describe, expect, it } from 'vitest';
import { flushWhenHidden, type VisibilitySource } from './cache-writer.ts';

/** A document whose visibility the test sets. */
class FakeDocument extends EventTarget implements VisibilitySource {
  visibilityState = 'visible';
  hide(): void {
    this.visibilityState = 'hidden';
    this.dispatchEvent(new Event('visibilitychange'));
  }
  show(): void {
    this.visibilityState = 'visible';
    this.dispatchEvent(new Event('visibilitychange'));
  }
}

function setup() {
  const flushes = { count: 0 };
  const writer = {
    flush: () => {
      flushes.count++;
      return Promise.resolve();
    },
  };
  const doc = new FakeDocument();
  const win = new EventTarget();
  const stop = flushWhenHidden(writer, doc, win);
  return { flushes, doc, win, stop };
}

describe('flushWhenHidden', () => {
  it('writes what is queued when the page is hidden or left, not when it is shown', () => {
    const { flushes, doc, win } = setup();
    doc.show();
    expect(flushes.count).toBe(0);
    doc.hide();
    expect(flushes.count).toBe(1);
    win.dispatchEvent(new Event('pagehide'));
    expect(flushes.count).toBe(2);
  });

  it('stops listening when unsubscribed (logout)', () => {
    const { flushes, doc, win, stop } = setup();
    stop();
    doc.hide();
    win.dispatchEvent(new Event('pagehide'));
    expect(flushes.count).toBe(0);
  });
});
