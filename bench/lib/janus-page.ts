/**
 * A minimal Janus videoroom client as plain JavaScript for bench pages (injected with
 * `page.addScriptTag`; the web client's own media code lives in packages/web). It talks to our
 * `/janus` proxy with a media grant, publishes synthetic media (a canvas carrying a 24-bit
 * millisecond timestamp in black/white blocks, and an oscillator) and subscribes to feeds,
 * decoding the timestamp of every rendered frame (requestVideoFrameCallback) into a latency.
 */
export const JANUS_PAGE_SCRIPT = String.raw`
window.zxBench = (() => {
  const BLOCK = 20, BITS = 24, W = 640, H = 360;
  const latencies = [];
  async function channel(url) {
    const ws = new WebSocket(url, 'janus-protocol');
    await new Promise((ok, fail) => { ws.onopen = ok; ws.onclose = () => fail(new Error('proxy refused')); });
    let n = 0;
    const pending = new Map();
    ws.onmessage = (e) => {
      const m = JSON.parse(e.data);
      const p = m.transaction && pending.get(m.transaction);
      if (!p || (m.janus === 'ack' && !p.ack)) return;
      pending.delete(m.transaction);
      if (m.janus === 'error' || m.plugindata?.data?.error_code) p.fail(new Error(JSON.stringify(m).slice(0, 300)));
      else p.ok(m);
    };
    const req = (body, ack = false) => new Promise((ok, fail) => {
      const transaction = 't' + ++n;
      pending.set(transaction, { ok, fail, ack });
      ws.send(JSON.stringify({ ...body, transaction }));
    });
    const session = (await req({ janus: 'create' })).data.id;
    setInterval(() => req({ janus: 'keepalive', session_id: session }, true).catch(() => {}), 20000);
    const attach = async () => {
      const handle = (await req({ janus: 'attach', session_id: session, plugin: 'janus.plugin.videoroom' })).data.id;
      const msg = (body, jsep) => req({ janus: 'message', session_id: session, handle_id: handle, body, ...(jsep ? { jsep } : {}) });
      const trickle = (c) => req({ janus: 'trickle', session_id: session, handle_id: handle,
        candidate: c ? { candidate: c.candidate, sdpMid: c.sdpMid, sdpMLineIndex: c.sdpMLineIndex } : { completed: true } }, true).catch(() => {});
      return { msg, trickle };
    };
    return { attach };
  }
  function stampCanvas() {
    const canvas = document.createElement('canvas');
    canvas.width = W; canvas.height = H;
    const ctx = canvas.getContext('2d');
    let hue = 0;
    const draw = () => {
      hue = (hue + 3) % 360;
      ctx.fillStyle = 'hsl(' + hue + ',60%,50%)';
      ctx.fillRect(0, 0, W, H);
      const t = Date.now() % (1 << BITS);
      for (let i = 0; i < BITS; i++) {
        ctx.fillStyle = (t >> i) & 1 ? '#fff' : '#000';
        ctx.fillRect(i * BLOCK, 0, BLOCK, BLOCK * 2);
      }
    };
    draw();
    setInterval(draw, 1000 / 30);
    return canvas;
  }
  async function publish(opts) {
    const ch = opts.channel ?? (await channel(opts.wsUrl));
    const h = await ch.attach();
    await h.msg({ request: 'join', ptype: 'publisher', room: opts.room, id: opts.feedId, display: 'bench' });
    const pc = new RTCPeerConnection({ iceServers: opts.iceServers ?? [] });
    pc.onicecandidate = (e) => h.trickle(e.candidate);
    if (opts.video !== false) {
      const track = stampCanvas().captureStream(30).getVideoTracks()[0];
      const t = pc.addTransceiver(track, { direction: 'sendonly' });
      const vp8 = RTCRtpSender.getCapabilities('video').codecs.filter((c) => /vp8/i.test(c.mimeType));
      t.setCodecPreferences(vp8);
    }
    if (opts.audio !== false) {
      const ac = new AudioContext();
      const osc = ac.createOscillator();
      const dest = ac.createMediaStreamDestination();
      osc.connect(dest); osc.start();
      pc.addTransceiver(dest.stream.getAudioTracks()[0], { direction: 'sendonly' });
    }
    await pc.setLocalDescription(await pc.createOffer());
    const res = await h.msg({ request: 'configure', audio: opts.audio !== false, video: opts.video !== false },
      { type: 'offer', sdp: pc.localDescription.sdp });
    await pc.setRemoteDescription(res.jsep);
    return { channel: ch, pc };
  }
  function decode(video, ctx) {
    ctx.drawImage(video, 0, 0, W, H);
    const px = ctx.getImageData(0, 0, BITS * BLOCK, BLOCK * 2).data;
    let t = 0;
    for (let i = 0; i < BITS; i++) {
      const x = i * BLOCK + BLOCK / 2, y = BLOCK;
      const o = (y * BITS * BLOCK + x) * 4;
      if ((px[o] + px[o + 1] + px[o + 2]) / 3 > 128) t |= 1 << i;
    }
    return t;
  }
  async function subscribe(opts) {
    const ch = opts.channel ?? (await channel(opts.wsUrl));
    const h = await ch.attach();
    const res = await h.msg({ request: 'join', ptype: 'subscriber', room: opts.room, streams: [{ feed: opts.feed }] });
    const pc = new RTCPeerConnection({ iceServers: opts.iceServers ?? [] });
    pc.onicecandidate = (e) => h.trickle(e.candidate);
    if (opts.measure) {
      const video = document.createElement('video');
      video.muted = true; video.playsInline = true;
      video.style.width = W + 'px'; video.style.height = H + 'px';
      document.body.append(video);
      const canvas = document.createElement('canvas');
      canvas.width = W; canvas.height = H;
      const ctx = canvas.getContext('2d', { willReadFrequently: true });
      pc.ontrack = (e) => {
        if (e.track.kind !== 'video') return;
        video.srcObject = new MediaStream([e.track]);
        video.play().catch(() => {});
        const onFrame = (_now, meta) => {
          const shown = performance.timeOrigin + meta.expectedDisplayTime;
          const sent = decode(video, ctx);
          const d = ((Math.round(shown) % (1 << BITS)) - sent + (1 << BITS)) % (1 << BITS);
          if (d < 5000) latencies.push(d);
          video.requestVideoFrameCallback(onFrame);
        };
        video.requestVideoFrameCallback(onFrame);
      };
    }
    await pc.setRemoteDescription(res.jsep);
    await pc.setLocalDescription(await pc.createAnswer());
    await h.msg({ request: 'start' }, { type: 'answer', sdp: pc.localDescription.sdp });
    window.zxSubs = (window.zxSubs ?? []).concat(pc);
    return { channel: ch, pc };
  }
  async function inbound() {
    const out = { audio: { packets: 0, lost: 0, bytes: 0 }, video: { packets: 0, lost: 0, bytes: 0, frames: 0 } };
    for (const pc of window.zxSubs ?? []) {
      const stats = await pc.getStats();
      stats.forEach((s) => {
        if (s.type !== 'inbound-rtp') return;
        const k = out[s.kind];
        if (!k) return;
        k.packets += s.packetsReceived ?? 0; k.lost += s.packetsLost ?? 0; k.bytes += s.bytesReceived ?? 0;
        if (s.kind === 'video') k.frames += s.framesDecoded ?? 0;
      });
    }
    return out;
  }
  return { channel, publish, subscribe, inbound, latencies, takeLatencies: () => latencies.splice(0) };
})();
`;
