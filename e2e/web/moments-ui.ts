import type { Locator, Page } from 'playwright-core';
import { UI_TIMEOUT } from './ui.ts';

/** Open moments from the navigation: the desktop rail, or 发现 → 战友圈 on the phone. */
export async function openMoments(page: Page): Promise<void> {
  const rail = page.locator('[data-testid="shell-desktop"]');
  if (!(await rail.isVisible())) {
    // The tab bar shows on the top-level screens only.
    await page.goto('/discover');
    await page.getByTestId('nav-discover').waitFor({ timeout: UI_TIMEOUT });
  }
  await page.getByTestId('nav-moments').click();
  await page.getByTestId('moments-home').waitFor({ timeout: UI_TIMEOUT });
}

/** The card of the post whose text contains `text`. */
export function postWithText(page: Page, text: string): Locator {
  return page.getByTestId('post-card').filter({ has: page.getByTestId('post-text').getByText(text) });
}

/** Wait until every picked picture or video of the composer is uploaded. */
export async function composerTilesReady(page: Page, count: number): Promise<void> {
  await page.waitForFunction(
    (n) => {
      const tiles = document.querySelectorAll('[data-testid="composer-tile"]');
      return tiles.length === n && [...tiles].every((t) => t.getAttribute('data-status') === 'ready');
    },
    count,
    { timeout: UI_TIMEOUT * 2 },
  );
}

/** The comment draft of a post as the page keeps it on the device (null when there is none). */
export function localCommentDraft(page: Page, userId: string, postId: string): Promise<string | null> {
  return page.evaluate(
    (key) => window.localStorage.getItem(key),
    `zx.moments.draft.${userId}.comment.${postId}`,
  );
}

/** Drag down with one finger from the top of `target` (touch events, as a phone sends them). */
export async function pullDown(page: Page, target: Locator, distance = 220): Promise<void> {
  const box = await target.boundingBox();
  if (!box) throw new Error('nothing to pull');
  const x = Math.round(box.x + box.width / 2);
  const y = Math.round(box.y + 20);
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x, y }] });
    for (let step = 1; step <= 12; step++) {
      const touchPoints = [{ x, y: y + Math.round((distance * step) / 12) }];
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints });
      await page.waitForTimeout(16);
    }
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  } finally {
    await cdp.detach();
  }
}

/** A screenshot once the page's finite animations (sliding thumbs, drawers) have settled. */
export async function settledShot(page: Page, path: string): Promise<void> {
  await page.evaluate(() =>
    Promise.all(
      document
        .getAnimations()
        .filter((x) => x.effect?.getTiming().iterations !== Infinity)
        .map((x) => x.finished.catch(() => undefined)),
    ),
  );
  await page.screenshot({ path });
}
