/**
 * A three-party meeting on a real Janus (started by the server on first use, inside the namespace):
 * 王丽 (host, desktop) starts a meeting; 陈波 (desktop) joins by code, 赵敏 (phone) by the join link.
 * Every page must decode growing video from the two others through Janus. The host's "mute all"
 * must disable the others' microphones (and show them muted to the host); 陈波's screen share must
 * appear and play on the two other screens. Then the host locks the meeting and an outsider is
 * refused: no grant, no peer connection; a forged grant is refused by the media proxy.
 */
import type { Page } from 'playwright-core';
import {
  launchMediaBrowser,
  person,
  runMain,
  shot,
  signedInPage,
  startMediaServer,
  until,
  videoGrowth,
} from '../harness.ts';

const remoteTiles = (page: Page) => page.locator('[data-testid="tile-remote"]');

async function audioSenderEnabled(page: Page): Promise<boolean[]> {
  return page.evaluate(() =>
    (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs
      .filter((pc) => pc.connectionState !== 'closed')
      .flatMap((pc) => pc.getSenders())
      .filter((s) => s.track?.kind === 'audio')
      .map((s) => s.track?.enabled ?? false),
  );
}

runMain(async () => {
  const server = await startMediaServer();
  const browser = await launchMediaBrowser();
  try {
    const [wang, chen, zhao, outsider] = await Promise.all([
      person(server, '王丽'),
      person(server, '陈波'),
      person(server, '赵敏'),
      person(server, '路人甲'),
    ]);
    const host = await signedInPage(browser, server, wang);
    const second = await signedInPage(browser, server, chen);
    const phone = await signedInPage(browser, server, zhao, { width: 390, height: 844, mobile: true });
    // The outsider signs in now, before three pages send and decode video: on a loaded CI machine a
    // fourth app load beside a running meeting once took longer than the 15-s sign-in wait.
    const stranger = await signedInPage(browser, server, outsider);

    await host.page.getByTestId('nav-meetings').click();
    await host.page.getByTestId('meetings-home').waitFor();
    await host.page.getByTestId('meeting-create-now').click();
    await host.page.getByTestId('meeting-screen').waitFor({ timeout: 30_000 });
    const code = (await host.page.getByTestId('meeting-code').innerText()).replace(/\s/g, '');

    await second.page.getByTestId('nav-meetings').click();
    await second.page.getByTestId('meeting-code-input').fill(code);
    await second.page.getByTestId('meeting-join').click();
    await phone.page.goto(`/meet/${code}`);
    for (const p of [host.page, second.page, phone.page])
      await until('two remote tiles', async () => (await remoteTiles(p).count()) === 2, 45_000);

    const flows: Record<string, boolean> = {};
    for (const [name, p] of [
      ['host', host.page],
      ['second', second.page],
      ['phone', phone.page],
    ] as const) {
      for (const [i, who] of [
        [0, 'a'],
        [1, 'b'],
      ] as const) {
        const feed = await remoteTiles(p).nth(i).getAttribute('data-feed');
        const sel = `[data-testid="tile-remote"][data-feed="${feed}"]`;
        await until(
          `${name} decodes feed ${feed}`,
          async () => (await videoGrowth(p, sel, 1000)).flowing,
          30_000,
        );
        flows[`${name}-${who}`] = true;
      }
    }
    await shot(host.page, 'meeting-desktop-grid');
    await shot(phone.page, 'meeting-mobile-grid');

    // Mute all: the others' microphones go off.
    await host.page.getByTestId('meeting-participants').click();
    await host.page.getByTestId('participants-panel').waitFor();
    await host.page.getByTestId('host-allow-unmute').click();
    await host.page.getByTestId('host-mute-all').click();
    for (const p of [second.page, phone.page]) {
      await p.locator('[data-testid="meeting-mute"][aria-pressed="true"]').waitFor({ timeout: 20_000 });
      await until('audio sender disabled', async () => (await audioSenderEnabled(p)).every((e) => !e));
    }
    await until(
      'host sees two muted',
      async () => (await host.page.getByTestId('participant-muted').count()) === 2,
    );
    const mutedOthers = await Promise.all([audioSenderEnabled(second.page), audioSenderEnabled(phone.page)]);
    const hostAudio = await audioSenderEnabled(host.page);
    const unmuteDisabled = await second.page.getByTestId('meeting-mute').isDisabled();
    await shot(host.page, 'meeting-desktop-participants');
    await shot(phone.page, 'meeting-mobile-muted');

    // Screen share from 陈波: a second feed, shown big on the others' screens.
    await second.page.getByTestId('meeting-share').click();
    const screenFlows: Record<string, boolean> = {};
    for (const [name, p] of [
      ['host', host.page],
      ['phone', phone.page],
    ] as const) {
      await p.getByTestId('tile-screen').waitFor({ timeout: 30_000 });
      await until(
        `${name} decodes the screen`,
        async () => (await videoGrowth(p, '[data-testid="tile-screen"]', 1000)).flowing,
        30_000,
      );
      screenFlows[name] = true;
    }
    await shot(host.page, 'meeting-desktop-screenshare');
    await shot(phone.page, 'meeting-mobile-screenshare');
    // 844 px wide crosses the layout breakpoint: the desktop shell loads, the meeting stays.
    await phone.page.setViewportSize({ width: 844, height: 390 });
    await phone.page.getByTestId('meeting-screen').waitFor({ timeout: 20_000 });
    await phone.page.waitForTimeout(1000);
    await shot(phone.page, 'meeting-mobile-landscape');

    // Locked: an outsider gets no grant and no media.
    await host.page.getByTestId('host-lock').click();
    await until(
      'locked',
      async () => (await host.page.getByTestId('host-lock').getAttribute('aria-checked')) === 'true',
    );
    // The outsider enters the code in the app (no reload beside three live meetings).
    await stranger.page.getByTestId('nav-meetings').click();
    await stranger.page.getByTestId('meeting-code-input').fill(code);
    await stranger.page.getByTestId('meeting-join').click();
    const answered = await stranger.page
      .locator('[data-testid="meeting-join-error"], [data-testid="meeting-screen"]')
      .first()
      .waitFor({ timeout: 60_000 })
      .then(() => true)
      .catch(() => false);
    const inside = await stranger.page.getByTestId('meeting-screen').isVisible();
    if (!answered || inside) {
      await shot(stranger.page, 'meeting-desktop-refused-unexpected');
      const where = await stranger.page.evaluate(() => `${location.pathname} ${document.title}`);
      throw new Error(
        inside
          ? `the outsider got into the locked meeting (at ${where})`
          : `the outsider saw neither the refusal nor the meeting in 60 s (at ${where})`,
      );
    }
    const refusal = await stranger.page.getByTestId('meeting-join-error').innerText({ timeout: 5000 });
    const strangerPcs = await stranger.page.evaluate(
      () => (window as unknown as { __pcs: unknown[] }).__pcs.length,
    );
    await shot(stranger.page, 'meeting-desktop-refused');
    const forged = await stranger.page.evaluate(
      () =>
        new Promise<string>((resolve) => {
          const ws = new WebSocket(
            `${location.origin.replace('http', 'ws')}/janus?grant=forged.grant`,
            'janus-protocol',
          );
          ws.onopen = () => {
            ws.send(JSON.stringify({ janus: 'create', transaction: 'x' }));
            ws.onmessage = (e) => resolve(`answered: ${String(e.data).slice(0, 120)}`);
          };
          ws.onclose = (e) => resolve(`closed ${e.code}`);
          setTimeout(() => resolve('no answer'), 5000);
        }),
    );

    // The host ends it: everyone sees the end screen.
    // On a loaded CI machine the host's participants panel was once gone by now (the button never
    // appeared in 30 s); open it again if so, so the test goes on to what it checks: ending for all.
    const end = host.page.getByTestId('host-end');
    if (!(await end.isVisible())) {
      await host.page.getByTestId('meeting-participants').click();
      await host.page.getByTestId('participants-panel').waitFor();
    }
    await end.click();
    await host.page.locator('.ant-modal-confirm .ant-btn-dangerous').click();
    await second.page.locator('[data-testid="meeting-exit"][data-exit="ended"]').waitFor({ timeout: 20_000 });
    await shot(second.page, 'meeting-desktop-ended');
    return { code, flows, mutedOthers, hostAudio, unmuteDisabled, screenFlows, refusal, strangerPcs, forged };
  } finally {
    await browser.close();
    await server.app.close();
  }
});
