import { chromium } from 'playwright-core';
const base = 'http://127.0.0.1:8110';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'] });
const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
const page = await ctx.newPage();
page.on('websocket', (ws) => {
  const t0 = Date.now();
  console.log('ws open', ws.url());
  ws.on('framereceived', (f) => console.log('recv +', Date.now() - t0, String(f.payload).slice(0, 100)));
  ws.on('framesent', (f) => console.log('sent +', Date.now() - t0, String(f.payload).slice(0, 60)));
  ws.on('close', () => console.log('ws close +', Date.now() - t0));
});
await page.goto(base + '/login');
await page.getByTestId('login-phone').fill('13800000001');
await page.getByTestId('login-password').fill('password123');
await page.getByTestId('login-submit').click();
await page.getByTestId('conversation-item').first().waitFor();
for (let i = 0; i < 3; i++) {
  const t = Date.now();
  await page.reload();
  await page.getByTestId('conversation-item').first().waitFor();
  const shown = Date.now();
  await page.waitForFunction(() => !document.querySelector('[data-testid=connection-banner]'), null, { timeout: 20000 });
  console.log('reload', i, 'list', shown - t, 'ms, banner gone', Date.now() - t, 'ms');
}
await browser.close();
