import type { Locator, Page } from 'playwright-core';

/**
 * Timing probes that run in the page, so the numbers are the browser's own clock
 * (performance.now()) and not Node's view of it across the DevTools protocol.
 *
 * "Rendered" means: the DOM matches, then one animation frame plus a task, which lands after the
 * frame that paints the change (the usual rAF + setTimeout trick). Results go into data attributes
 * of <html>, which the app never touches.
 */

/** Init script: milliseconds from navigation start to the first conversation-item painted. */
export function firstItemProbe(): void {
  // Init scripts run as the document is created, before <html> exists: look it up when marking.
  const observer = new MutationObserver(() => {
    if (!document.querySelector('[data-testid="conversation-item"]')) return;
    observer.disconnect();
    requestAnimationFrame(() =>
      setTimeout(() => {
        document.documentElement.dataset.zxFirstItem = String(performance.now());
      }, 0),
    );
  });
  observer.observe(document, { childList: true, subtree: true });
}

/** Wait for the first-item probe of the current page load and read it. */
export async function firstItemMs(page: Page, timeoutMs = 60_000): Promise<number> {
  const handle = await page.waitForFunction(() => document.documentElement.dataset.zxFirstItem, undefined, {
    timeout: timeoutMs,
  });
  return Number(await handle.jsonValue());
}

/**
 * Click `target` and measure from the pointerdown (the event's own timestamp) until `selector`
 * matches and has been painted: the click-to-rendered time of one transition, as INP counts it.
 */
export async function clickToRendered(page: Page, target: Locator, selector: string): Promise<number> {
  await page.evaluate((sel) => {
    const root = document.documentElement;
    delete root.dataset.zxRendered;
    let input = -1;
    addEventListener(
      'pointerdown',
      (e) => {
        input = e.timeStamp;
      },
      { capture: true, once: true },
    );
    const observer = new MutationObserver(() => {
      if (input < 0 || !document.querySelector(sel)) return;
      observer.disconnect();
      requestAnimationFrame(() =>
        setTimeout(() => {
          root.dataset.zxRendered = String(performance.now() - input);
        }, 0),
      );
    });
    observer.observe(document.body, { childList: true, subtree: true, attributes: true });
  }, selector);
  await target.click();
  const handle = await page.waitForFunction(() => document.documentElement.dataset.zxRendered, undefined, {
    timeout: 30_000,
  });
  return Number(await handle.jsonValue());
}

/**
 * Fill this page's IndexedDB cache with messages, as it would be after the user had opened every
 * chat: the store and key path are the web client's (data/cache.ts: messages by
 * [conversationId+seq]). Written in one transaction, after the client created the database.
 */
export async function fillMessageCache(page: Page, userId: string, messages: unknown[]): Promise<void> {
  await page.evaluate(
    async ({ db, rows }) => {
      const open = indexedDB.open(db);
      const conn = await new Promise<IDBDatabase>((resolve, reject) => {
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
      try {
        const tx = conn.transaction('messages', 'readwrite');
        const store = tx.objectStore('messages');
        for (const row of rows) store.put(row);
        await new Promise<void>((resolve, reject) => {
          tx.oncomplete = () => resolve();
          tx.onerror = () => reject(tx.error);
        });
      } finally {
        conn.close();
      }
    },
    { db: `zhixin-${userId}`, rows: messages },
  );
}
