import type { Page } from 'playwright-core';

const KEEP_LINES = 60;

/**
 * What a page said while a test step ran (console errors and warnings, uncaught errors, failed
 * requests), and what it shows and holds when the step fails: printed to the test's output, so a
 * failure seen only on a CI machine can be read afterwards.
 */
export class PageDiagnostics {
  private readonly lines: string[] = [];

  constructor(private readonly page: Page) {
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') this.note(`console.${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => this.note(`page error: ${e.message}`));
    page.on('requestfailed', (r) => this.note(`request failed: ${r.url()} ${r.failure()?.errorText ?? ''}`));
  }

  private note(line: string): void {
    this.lines.push(`${new Date().toISOString().slice(11, 23)} ${line}`);
    if (this.lines.length > KEEP_LINES) this.lines.shift();
  }

  /** Run a step; when it throws, print what the page showed, held and said, then rethrow. */
  async step<T>(name: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (err) {
      console.log(`--- ${name} failed; the page at that moment ---\n${await this.describe()}`);
      throw err;
    }
  }

  private async describe(): Promise<string> {
    const state = await this.page
      .evaluate(async () => {
        const databases = await indexedDB.databases();
        const counts: Record<string, number> = {};
        for (const { name } of databases) {
          if (!name?.startsWith('zhixin-')) continue;
          const conn = await new Promise<IDBDatabase>((resolve, reject) => {
            const open = indexedDB.open(name);
            open.onsuccess = () => resolve(open.result);
            open.onerror = () => reject(open.error);
          });
          for (const store of Array.from(conn.objectStoreNames)) {
            counts[`${name}.${store}`] = await new Promise<number>((resolve, reject) => {
              const req = conn.transaction(store).objectStore(store).count();
              req.onsuccess = () => resolve(req.result);
              req.onerror = () => reject(req.error);
            });
          }
          conn.close();
        }
        return {
          url: location.href,
          controlled: navigator.serviceWorker?.controller !== null,
          text: document.body.innerText.slice(0, 1500),
          counts,
        };
      })
      .catch((err: unknown) => ({ error: String(err) }));
    return [JSON.stringify(state, null, 1), ...this.lines].join('\n');
  }
}
