import {
  launchMediaBrowser,
  person,
  runMain,
  signedInPage,
  startMediaServer,
  inboundVideo,
} from '../harness.ts';

runMain(async () => {
  const server = await startMediaServer();
  const browser = await launchMediaBrowser();
  try {
    const [wang, chen] = await Promise.all([person(server, '王丽'), person(server, '陈波')]);
    const host = await signedInPage(browser, server, wang);
    const second = await signedInPage(browser, server, chen);
    await host.page.getByTestId('nav-meetings').click();
    await host.page.getByTestId('meeting-create-now').click();
    await host.page.getByTestId('meeting-screen').waitFor({ timeout: 30_000 });
    const code = (await host.page.getByTestId('meeting-code').innerText()).replace(/\s/g, '');
    await second.page.goto(`/meet/${code}`);
    await second.page.getByTestId('meeting-screen').waitFor({ timeout: 30_000 });
    await host.page.waitForTimeout(4000);
    second.page.on('console', (m) => console.error('second:', m.text()));
    const share = '';
    await second.page.getByTestId('meeting-share').click();
    await host.page.waitForTimeout(8000);
    const info = await host.page.evaluate(() => {
      const tiles = [...document.querySelectorAll('[data-testid^="tile"]')].map((t) => {
        const v = t.querySelector('video');
        const s = v?.srcObject as MediaStream | null;
        return `${t.getAttribute('data-testid')} feed=${t.getAttribute('data-feed')} tracks=${s
          ?.getTracks()
          .map((x) => x.kind + ':' + x.readyState)
          .join(',')}`;
      });
      return tiles;
    });
    const pubStats = await second.page.evaluate(async () => {
      const out: string[] = [];
      for (const pc of (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs) {
        const st = await pc.getStats();
        st.forEach((s: Record<string, unknown>) => {
          if (s.type === 'outbound-rtp' && s.kind === 'video')
            out.push(
              `${pc.connectionState} out ${s.rid ?? ''} ${s.framesEncoded} ${s.frameWidth} ${s.bytesSent} ${s.qualityLimitationReason}`,
            );
        });
        for (const t of pc.getTransceivers())
          out.push(
            `tr mid=${t.mid} dir=${t.direction} cur=${t.currentDirection} track=${t.sender.track?.kind}:${t.sender.track?.readyState}:${t.sender.track?.enabled}:${t.sender.track?.muted}`,
          );
        const m = pc.remoteDescription?.sdp
          .split('m=video')[1]
          ?.split('\r\n')
          .filter(
            (l) => /^a=(rtpmap|sendonly|recvonly|inactive|sendrecv|fmtp)|^ /.test(l) || l.startsWith(' '),
          )
          .slice(0, 8)
          .join(' | ');
        out.push(`answer video: ${m}`);
      }
      return out;
    });
    return { share, info, screen: await inboundVideo(host.page, '[data-testid="tile-screen"]'), pubStats };
  } finally {
    await browser.close();
    await server.app.close();
  }
});
