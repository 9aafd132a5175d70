/**
 * Receiver-side layer adaptation (R-X7) with VP8 simulcast (Janus 1.1.2 ignores VP9 spatial layer
 * selection, notes/WEBRTC-TESTS.md): 王丽's browser has no VP9, so she publishes VP8 with three
 * simulcast encodings. 陈波 watches her in a large speaker view; 赵敏's window is tiny, so her tile
 * asks Janus for the low substream. 赵敏 must receive fewer pixels and fewer bytes than 陈波.
 */
import {
  inboundVideo,
  launchMediaBrowser,
  person,
  runMain,
  shot,
  signedInPage,
  startMediaServer,
  until,
  type InboundVideo,
} from '../harness.ts';
import type { Page } from 'playwright-core';

async function rate(
  page: Page,
  sel: string,
  ms = 4000,
): Promise<{ bytesPerSecond: number; last: InboundVideo }> {
  const a = await inboundVideo(page, sel);
  await page.waitForTimeout(ms);
  const b = await inboundVideo(page, sel);
  if (!a || !b) throw new Error('no inbound video');
  return { bytesPerSecond: ((b.bytesReceived - a.bytesReceived) * 1000) / ms, last: b };
}

interface SentLayer {
  rid: string;
  frameWidth: number;
  /** Chromium's qualityLimitationReason: none, cpu, bandwidth or other. */
  limitedBy: string;
}

/** The video layers the page is sending (outbound-rtp stats of every peer connection). */
function sentLayers(page: Page): Promise<SentLayer[]> {
  return page.evaluate(async () => {
    const out: SentLayer[] = [];
    for (const pc of (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs) {
      if (pc.connectionState === 'closed') continue;
      const stats = await pc.getStats();
      stats.forEach(
        (s: {
          type: string;
          kind?: string;
          rid?: string;
          frameWidth?: number;
          qualityLimitationReason?: string;
        }) => {
          if (s.type === 'outbound-rtp' && s.kind === 'video')
            out.push({
              rid: s.rid ?? '-',
              frameWidth: s.frameWidth ?? 0,
              limitedBy: s.qualityLimitationReason ?? '?',
            });
        },
      );
    }
    return out;
  });
}

runMain(async () => {
  const server = await startMediaServer();
  const browser = await launchMediaBrowser();
  try {
    const [wang, chen, zhao] = await Promise.all([
      person(server, '王丽'),
      person(server, '陈波'),
      person(server, '赵敏'),
    ]);
    const publisher = await signedInPage(
      browser,
      server,
      wang,
      { width: 1280, height: 800 },
      { noVp9: true },
    );
    const large = await signedInPage(browser, server, chen, { width: 1280, height: 800 });
    const small = await signedInPage(browser, server, zhao, { width: 400, height: 300 });

    await publisher.page.getByTestId('nav-meetings').click();
    await publisher.page.getByTestId('meeting-create-now').click();
    await publisher.page.getByTestId('meeting-screen').waitFor({ timeout: 30_000 });
    const code = (await publisher.page.getByTestId('meeting-code').innerText()).replace(/\s/g, '');
    for (const p of [large.page, small.page]) {
      await p.goto(`/meet/${code}`);
      await p.getByTestId('meeting-screen').waitFor({ timeout: 30_000 });
      // Silent receivers: the publisher stays the active speaker.
      await p.getByTestId('meeting-mute').click();
    }
    await large.page.getByTestId('meeting-layout').click();
    const wangTile = `[data-testid="tile-remote"][data-user="${wang.userId}"]`;
    for (const p of [large.page, small.page])
      await until(
        'the publisher decodes',
        async () => ((await inboundVideo(p, wangTile))?.framesDecoded ?? 0) > 10,
        45_000,
      );
    // Let bandwidth estimation ramp up until at least two layers are sent, and the large view
    // gets the widest of them. Not a fixed width: on a loaded machine Chromium's CPU adaptation
    // scales the input down, so the top layer may be 640 wide instead of 1280.
    let seen = '';
    let largeWidth = 0;
    await until(
      "the large view gets the publisher's widest layer",
      async () => {
        const layers = await sentLayers(publisher.page);
        largeWidth = (await inboundVideo(large.page, wangTile))?.frameWidth ?? 0;
        const widths = layers.map((l) => l.frameWidth).filter((w) => w > 0);
        seen = `large view ${largeWidth}; sent ${layers.map((l) => `${l.rid}:${l.frameWidth}(${l.limitedBy})`).join(' ')}`;
        return new Set(widths).size >= 2 && largeWidth > 0 && largeWidth === Math.max(...widths);
      },
      90_000,
      () => seen,
    );
    // Janus switches a subscriber's substream at the next keyframe of the new layer: on a loaded
    // machine that can take longer than any fixed pause, so wait for it (and fail if it never comes).
    await until(
      'the small tile gets a lower layer',
      async () => {
        const width = (await inboundVideo(small.page, wangTile))?.frameWidth ?? 0;
        seen = `small tile ${width}, large view ${largeWidth}`;
        return width > 0 && width < largeWidth;
      },
      45_000,
      () => seen,
    );
    const [largeRate, smallRate] = await Promise.all([
      rate(large.page, wangTile),
      rate(small.page, wangTile),
    ]);
    const tileHeights = await Promise.all(
      [large.page, small.page].map((p) =>
        p.locator(`${wangTile} video`).evaluate((v) => Math.round(v.getBoundingClientRect().height)),
      ),
    );
    const plan = (await sentLayers(publisher.page)).map((l) => `${l.rid}:${l.frameWidth}`);
    await shot(small.page, 'meeting-small-window');
    await shot(large.page, 'meeting-desktop-speaker');
    return { plan, tileHeights, large: largeRate, small: smallRate };
  } finally {
    await browser.close();
    await server.app.close();
  }
});
