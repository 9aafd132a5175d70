import { launchMediaBrowser, person, runMain, signedInPage, startMediaServer } from '../harness.ts';

runMain(async () => {
  const server = await startMediaServer();
  const browser = await launchMediaBrowser();
  try {
    const wang = await person(server, '王丽');
    const host = await signedInPage(browser, server, wang);
    const probe = (opts: string) =>
      host.page.evaluate(async (o) => {
        try {
          const s = await navigator.mediaDevices.getDisplayMedia(JSON.parse(o) as DisplayMediaStreamOptions);
          const t = s.getVideoTracks()[0]!;
          const v = document.createElement('video');
          v.muted = true;
          v.srcObject = s;
          document.body.append(v);
          await v.play().catch(() => undefined);
          let frames = 0;
          const tick = setInterval(() => {
            frames = (v as HTMLVideoElement & { webkitDecodedFrameCount: number }).webkitDecodedFrameCount;
          }, 100);
          setTimeout(() => clearInterval(tick), 3000);
          await new Promise((r) => setTimeout(r, 3000));
          const r = { label: t.label, muted: t.muted, frames };
          t.stop();
          v.remove();
          return JSON.stringify(r);
        } catch (e) {
          return String(e);
        }
      }, opts);
    return {
      plain: await probe('{"video":true}'),
      tab: await probe('{"video":true,"preferCurrentTab":true}'),
    };
  } finally {
    await browser.close();
    await server.app.close();
  }
});
