/**
 * Screenshots of the meetings page and an incoming meeting invitation, desktop and phone (for
 * looking at the UI; not a test): `e2e/media/netns-run.sh node_modules/.bin/tsx e2e/media/scenarios/screens.ts`.
 */
import {
  befriend,
  launchMediaBrowser,
  person,
  runMain,
  shot,
  signedInPage,
  startMediaServer,
} from '../harness.ts';

runMain(async () => {
  const server = await startMediaServer();
  const browser = await launchMediaBrowser();
  try {
    const [wang, chen] = await Promise.all([person(server, '王丽'), person(server, '陈波')]);
    await befriend(wang, chen);
    const desk = await signedInPage(browser, server, wang);
    const phone = await signedInPage(browser, server, chen, { width: 390, height: 844, mobile: true });
    await desk.page.getByTestId('nav-meetings').click();
    await desk.page.getByTestId('meetings-home').waitFor();
    await desk.page.getByTestId('meeting-schedule').click();
    await desk.page.getByTestId('schedule-topic').fill('季度复盘会');
    await desk.page.locator('#schedule-submit').click();
    await desk.page.getByTestId('meeting-created').waitFor();
    await shot(desk.page, 'meetings-desktop-home');
    await desk.page.getByTestId('created-invite').click();
    await desk.page.locator(`[data-testid="invite-contact"][data-user="${chen.userId}"]`).click();
    await shot(desk.page, 'meetings-desktop-invite');
    await desk.page.locator('.ant-modal-footer .ant-btn-primary').click();
    await phone.page.getByTestId('meeting-invitation').waitFor({ timeout: 20_000 });
    await shot(phone.page, 'meetings-mobile-invitation');
    await phone.page.getByTestId('invitation-decline').click();
    await phone.page.getByTestId('nav-discover').click();
    await shot(phone.page, 'meetings-mobile-discover');
    await phone.page.getByTestId('nav-meetings').click();
    await phone.page.getByTestId('meetings-home').waitFor();
    await shot(phone.page, 'meetings-mobile-home');
    return { ok: true };
  } finally {
    await browser.close();
    await server.app.close();
  }
});
