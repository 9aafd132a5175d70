/**
 * A 1:1 video call through the web client: 王丽 (desktop) calls 陈波 (phone layout) from their
 * direct chat; 陈波 answers; both sides must decode growing video from the other (P2P over the
 * namespace's 127.0.0.2). Hanging up leaves a call record in the chat.
 */
import {
  befriend,
  inboundVideo,
  launchMediaBrowser,
  person,
  runMain,
  shot,
  signedInPage,
  startMediaServer,
  until,
  videoGrowth,
} from '../harness.ts';

runMain(async () => {
  const server = await startMediaServer();
  const browser = await launchMediaBrowser();
  try {
    const wang = await person(server, '王丽');
    const chen = await person(server, '陈波');
    await befriend(wang, chen);
    const chat = await wang.client.conversations.openDirect(chen.userId);
    await wang.client.messages.sendText(chat.id, '方便视频一下吗？');

    const caller = await signedInPage(browser, server, wang);
    const callee = await signedInPage(browser, server, chen, { width: 390, height: 844, mobile: true });
    await caller.page.goto(`/chats/${chat.id}`);
    await caller.page.getByTestId('call-video').click();
    await caller.page.getByTestId('call-screen').waitFor();
    await callee.page.getByTestId('call-accept').waitFor({ timeout: 40_000 });
    await shot(callee.page, 'call-mobile-incoming');
    await shot(caller.page, 'call-desktop-outgoing');
    await callee.page.getByTestId('call-accept').click();

    const active = '[data-testid="call-status"][data-phase="active"]';
    await caller.page.locator(active).waitFor({ timeout: 30_000 });
    await callee.page.locator(active).waitFor({ timeout: 30_000 });
    await until('video decoded on both sides', async () => {
      const [a, b] = await Promise.all([inboundVideo(caller.page), inboundVideo(callee.page)]);
      return (a?.framesDecoded ?? 0) > 5 && (b?.framesDecoded ?? 0) > 5;
    });
    const [callerVideo, calleeVideo] = await Promise.all([
      videoGrowth(caller.page, undefined),
      videoGrowth(callee.page, undefined),
    ]);
    const pairs = await caller.page.evaluate(async () => {
      const pcs = (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs;
      const out: string[] = [];
      for (const pc of pcs) {
        const stats = await pc.getStats();
        stats.forEach((s: { type: string; address?: string; candidateType?: string }) => {
          if (s.type === 'local-candidate') out.push(`${s.candidateType}:${s.address}`);
        });
      }
      return out;
    });
    await shot(caller.page, 'call-desktop-active');
    await shot(callee.page, 'call-mobile-active');

    await caller.page.getByTestId('call-mute').click();
    const mutedTrack = await caller.page.evaluate(() => {
      const pcs = (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs;
      const sender = pcs
        .at(-1)
        ?.getSenders()
        .find((s) => s.track?.kind === 'audio');
      return sender?.track?.enabled;
    });
    await caller.page.getByTestId('call-hangup').click();
    await caller.page
      .locator('[data-testid="call-record"][data-outcome="completed"]')
      .waitFor({ timeout: 20_000 });
    await caller.page.getByTestId('call-screen').waitFor({ state: 'detached', timeout: 20_000 });
    await shot(caller.page, 'call-desktop-record');
    return {
      callerVideo,
      calleeVideo,
      localCandidates: pairs,
      audioEnabledAfterMute: mutedTrack,
      recordText: await caller.page.getByTestId('call-record').last().innerText(),
    };
  } finally {
    await browser.close();
    await server.app.close();
  }
});
