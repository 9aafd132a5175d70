#!/usr/bin/python3
"""Synthetic WebRTC peers for the `media` benchmark: GStreamer webrtcbin, no browser, no codec work.

Publishers send Opus (50 pps) or VP8 (~150 pps, 960x540 moving bars at ~1.4 Mbit/s) RTP that was encoded once
at start and is then looped, so sending costs no encoding. Every packet carries, in its last 12
payload bytes, a magic word and the CLOCK_MONOTONIC time at which it was handed to webrtcbin;
nobody decodes the media, so overwriting those bytes is harmless (Janus forwards payloads as they
are). Subscribers answer Janus's offers, drop what they receive (fakesink) and count it (webrtcbin
get-stats: inbound-rtp packets-received / packets-lost); the probed ones also read the time back
as each packet leaves webrtcbin, which gives send -> Janus -> receive delay on one clock.

Signalling is not done here: the TypeScript side (bench/lib/gst-janus.ts) talks to Janus through
our `/janus` proxy and drives this process with one JSON object per line on stdin; it answers with
one JSON object per line on stdout ("ev": offer / answer / candidate / stats / error / ready).

`gst-peers.py --selftest SECONDS` connects a publisher straight to a subscriber of each kind in
this process (no Janus) and prints their delay: the generator's own share of the measured delay.
"""
import json
import os
import struct
import sys
import threading
import time

import gi

gi.require_version('Gst', '1.0')
gi.require_version('GstSdp', '1.0')
gi.require_version('GstWebRTC', '1.0')
from gi.repository import GLib, Gst, GstSdp, GstWebRTC  # noqa: E402

MAGIC = b'ZXts'
STAMP_LEN = 12
# A fixed SSRC per kind, in the caps (webrtcbin then writes a=ssrc lines: Janus drops packets whose
# SSRC its SDP did not announce) and in every packet.
SSRC = {'audio': 0x5A580001, 'video': 0x5A580002}
CAPS = {
    'audio': 'application/x-rtp,media=audio,encoding-name=OPUS,payload=111,clock-rate=48000,'
    f'encoding-params=(string)2,ssrc=(uint){SSRC["audio"]}',
    'video': 'application/x-rtp,media=video,encoding-name=VP8,payload=96,clock-rate=90000,'
    f'ssrc=(uint){SSRC["video"]}',
}
ENCODE = {
    'audio': 'audiotestsrc num-buffers=150 wave=sine ! audio/x-raw,rate=48000,channels=2 '
    '! opusenc frame-size=20 bitrate=32000 ! rtpopuspay pt=111 mtu=1200',
    # 3 s at 30 fps, one key frame at the start of the loop: ~150 pps of <=1,200 bytes (~1.4 Mbit/s; vp8enc
    # overshoots its target on moving bars, so the size is what sets the rate).
    'video': 'videotestsrc num-buffers=90 pattern=smpte horizontal-speed=4 '
    '! video/x-raw,width=960,height=540,framerate=30/1 '
    '! vp8enc deadline=1 cpu-used=8 target-bitrate=600000 keyframe-max-dist=90 end-usage=cbr '
    '! rtpvp8pay pt=96 mtu=1200 picture-id-mode=15-bit',
}
CLOCK_RATE = {'audio': 48000, 'video': 90000}

out_lock = threading.Lock()


def emit(**event):
    with out_lock:
        sys.stdout.write(json.dumps(event) + '\n')
        sys.stdout.flush()


def encode_loop(kind):
    """Encode a few seconds once; return [(send offset ns, RTP packet bytes)] and the loop length."""
    pipe = Gst.parse_launch(ENCODE[kind] + ' ! appsink name=sink sync=false')
    sink = pipe.get_by_name('sink')
    pipe.set_state(Gst.State.PLAYING)
    packets = []
    while True:
        sample = sink.emit('pull-sample')
        if sample is None:
            break
        buf = sample.get_buffer()
        packets.append((buf.pts, buf.extract_dup(0, buf.get_size())))
    pipe.set_state(Gst.State.NULL)
    first = packets[0][0]
    frame_ns = 20_000_000 if kind == 'audio' else 33_333_333
    loop_ns = packets[-1][0] - first + frame_ns
    return [(pts - first, data) for pts, data in packets], loop_ns


class Sender(threading.Thread):
    """Pushes one kind's looped packets into the appsrcs of its publishers, on schedule, stamped."""

    def __init__(self, kind, packets, loop_ns):
        super().__init__(daemon=True)
        self.kind, self.packets, self.loop_ns = kind, packets, loop_ns
        self.appsrcs = []
        self.sent = 0

    def run(self):
        start = time.monotonic_ns()
        loop_ts = self.loop_ns * CLOCK_RATE[self.kind] // 1_000_000_000
        first_ts = struct.unpack_from('!I', self.packets[0][1], 4)[0]
        seq = 0
        loop = 0
        while True:
            for offset, data in self.packets:
                due = start + loop * self.loop_ns + offset
                wait = due - time.monotonic_ns()
                if wait > 0:
                    time.sleep(wait / 1e9)
                pkt = bytearray(data)
                ts = struct.unpack_from('!I', data, 4)[0] - first_ts + loop * loop_ts
                struct.pack_into('!HII', pkt, 2, seq & 0xFFFF, ts & 0xFFFFFFFF, SSRC[self.kind])
                seq += 1
                if len(pkt) >= 12 + 8 + STAMP_LEN:
                    pkt[-STAMP_LEN:] = MAGIC + struct.pack('!Q', time.monotonic_ns())
                buf = Gst.Buffer.new_wrapped(bytes(pkt))
                for src in list(self.appsrcs):
                    src.emit('push-buffer', buf)
                self.sent += 1
            loop += 1


class Peer:
    """One webrtcbin in its own pipeline: a publisher of one kind or a subscriber."""

    def __init__(self, pid, kind, probe_delays=None):
        self.id, self.kind = pid, kind
        self.pipe = Gst.Pipeline.new(pid)
        self.webrtc = Gst.ElementFactory.make('webrtcbin', None)
        self.webrtc.set_property('bundle-policy', GstWebRTC.WebRTCBundlePolicy.MAX_BUNDLE)
        # The jitter buffer holds a packet only while an earlier one is missing; bound that wait.
        self.webrtc.set_property('latency', 50)
        # No UPnP port mapping (SSDP multicast) and no TCP candidates: host UDP candidates only.
        # Keep the Python reference: in 1.22 the ICE object's only reference ends up owned by the
        # wrapper (a floating reference PyGObject sinks), and dropping it would free webrtcbin's agent.
        self.ice = self.webrtc.get_property('ice-agent')
        self.ice.set_property('ice-tcp', False)
        self.ice.get_property('agent').set_property('upnp', False)
        self.pipe.add(self.webrtc)
        self.delays = probe_delays
        # Where local candidates go: the driver (stdout), or the other peer in --selftest.
        # (None, None) says gathering is complete.
        self.candidate_sink = lambda mline, cand: emit(ev='candidate', id=pid, mline=mline, candidate=cand)
        self.webrtc.connect('on-ice-candidate', lambda _el, mline, cand: self.candidate_sink(mline, cand))
        self.webrtc.connect('pad-added', self.on_pad)
        self.webrtc.connect('notify::ice-gathering-state', self.on_gathering)
        if os.environ.get('ZX_GST_VERBOSE'):
            for prop in ('ice-connection-state', 'connection-state'):
                self.webrtc.connect('notify::' + prop, self.log_state)

    def log_state(self, el, spec):
        sys.stderr.write(f'{self.id} {spec.name}: {el.get_property(spec.name).value_nick}\n')

    def on_gathering(self, el, _spec):
        if el.get_property('ice-gathering-state') == GstWebRTC.WebRTCICEGatheringState.COMPLETE:
            self.candidate_sink(None, None)

    def on_pad(self, _el, pad):
        if pad.get_direction() != Gst.PadDirection.SRC:
            return
        sink = Gst.ElementFactory.make('fakesink', None)
        sink.set_property('sync', False)
        sink.set_property('async', False)
        self.pipe.add(sink)
        sink.sync_state_with_parent()
        pad.link(sink.get_static_pad('sink'))
        if self.delays is not None:
            pad.add_probe(Gst.PadProbeType.BUFFER, self.on_buffer)

    def on_buffer(self, _pad, info):
        now = time.monotonic_ns()
        buf = info.get_buffer()
        size = buf.get_size()
        if size >= 12 + STAMP_LEN:
            tail = buf.extract_dup(size - STAMP_LEN, STAMP_LEN)
            if tail[:4] == MAGIC:
                self.delays.append((now - struct.unpack('!Q', tail[4:])[0]) / 1e6)
        return Gst.PadProbeReturn.OK

    def start_publisher(self, sender, on_offer):
        src = Gst.ElementFactory.make('appsrc', None)
        src.set_property('caps', Gst.Caps.from_string(CAPS[self.kind]))
        src.set_property('format', Gst.Format.TIME)
        src.set_property('is-live', True)
        # Until the transport is up, webrtcbin blocks its sink pad: drop the oldest, never pile up.
        src.set_property('max-buffers', 32)
        src.set_property('leaky-type', 2)
        self.pipe.add(src)
        src.link(self.webrtc)
        for t in self.transceivers():
            t.set_property('direction', GstWebRTC.WebRTCRTPTransceiverDirection.SENDONLY)
        self.webrtc.connect('on-negotiation-needed', lambda _el: self.create('create-offer', on_offer))
        self.pipe.set_state(Gst.State.PLAYING)
        sender.appsrcs.append(src)

    def transceivers(self):
        return [self.webrtc.emit('get-transceiver', i) for i in range(self.count_transceivers())]

    def count_transceivers(self):
        n = 0
        while self.webrtc.emit('get-transceiver', n) is not None:
            n += 1
        return n

    def create(self, what, done):
        def on_created(promise):
            promise.wait()
            reply = promise.get_reply()
            desc = reply.get_value('offer' if what == 'create-offer' else 'answer')
            self.webrtc.emit('set-local-description', desc, Gst.Promise.new())
            done(desc.sdp.as_text())

        self.webrtc.emit(what, None, Gst.Promise.new_with_change_func(on_created))

    def set_remote(self, sdp_type, sdp_text, then=None):
        _, sdp = GstSdp.SDPMessage.new_from_text(sdp_text)
        desc = GstWebRTC.WebRTCSessionDescription.new(sdp_type, sdp)

        def on_set(promise):
            promise.wait()
            if then:
                then()

        self.webrtc.emit('set-remote-description', desc, Gst.Promise.new_with_change_func(on_set))

    def add_candidate(self, mline, candidate):
        self.webrtc.emit('add-ice-candidate', mline, candidate)

    def inbound(self):
        """(packets received, packets lost) of this subscriber's inbound-rtp streams."""
        promise = Gst.Promise.new()
        self.webrtc.emit('get-stats', None, promise)
        promise.wait()
        stats = promise.get_reply()
        found = [0, 0]

        def each(_field, value):
            if isinstance(value, Gst.Structure) and value.get_name() == 'inbound-rtp':
                found[0] += value.get_uint64('packets-received')[1]
                # 1.22 keeps the loss count in the RTP source's own statistics.
                source = value.get_value('gst-rtpsource-stats')
                if isinstance(source, Gst.Structure) and source.has_field('packets-lost'):
                    found[1] += max(0, source.get_int('packets-lost')[1])
            return True

        if stats is not None:
            stats.foreach(each)
        return found


class Generator:
    def __init__(self):
        self.senders = {}
        self.peers = {}
        self.subs = {'audio': [], 'video': []}
        self.delays = {'audio': [], 'video': []}

    def sender(self, kind):
        if kind not in self.senders:
            packets, loop_ns = encode_loop(kind)
            self.senders[kind] = Sender(kind, packets, loop_ns)
            self.senders[kind].start()
        return self.senders[kind]

    def handle(self, msg):
        op, pid = msg.get('op'), msg.get('id')
        try:
            if op == 'publish':
                peer = self.peers[pid] = Peer(pid, msg['kind'])
                peer.start_publisher(self.sender(msg['kind']), lambda sdp: emit(ev='offer', id=pid, sdp=sdp))
            elif op == 'answer':
                self.peers[pid].set_remote(GstWebRTC.WebRTCSDPType.ANSWER, msg['sdp'])
            elif op == 'subscribe':
                kind = msg['kind']
                peer = Peer(pid, kind, self.delays[kind] if msg.get('probe') else None)
                self.peers[pid] = peer
                self.subs[kind].append(peer)
                peer.pipe.set_state(Gst.State.PLAYING)
                peer.set_remote(
                    GstWebRTC.WebRTCSDPType.OFFER,
                    msg['sdp'],
                    lambda: peer.create('create-answer', lambda sdp: emit(ev='answer', id=pid, sdp=sdp)),
                )
            elif op == 'candidate':
                self.peers[pid].add_candidate(msg['mline'], msg['candidate'])
            elif op == 'stats':
                self.report()
            elif op == 'quit':
                for peer in self.peers.values():
                    peer.pipe.set_state(Gst.State.NULL)
                os._exit(0)
            else:
                emit(ev='error', id=pid, message=f'unknown op {op}')
        except Exception as err:  # the driver reads the message and fails the run
            emit(ev='error', id=pid, message=f'{op}: {err!r}')
        return False

    def report(self):
        """Counters of every subscriber, the delays sampled since the last report, sender counts."""
        out = {'t': time.monotonic()}
        for kind, peers in self.subs.items():
            received = lost = 0
            for peer in peers:
                r, l = peer.inbound()
                received += r
                lost += l
            delays, self.delays[kind][:] = list(self.delays[kind]), []
            out[kind] = {'subscriptions': len(peers), 'packets': received, 'lost': lost, 'delaysMs': delays}
            sender = self.senders.get(kind)
            out[kind]['sent'] = sender.sent if sender else 0
        emit(ev='stats', **out)


def read_stdin(gen):
    for line in sys.stdin:
        if line.strip():
            GLib.idle_add(gen.handle, json.loads(line))
    GLib.idle_add(gen.handle, {'op': 'quit'})


def selftest(seconds):
    """Publisher -> subscriber in this process for each kind; prints the generator's own delay."""
    gen = Generator()
    result = {}
    for kind in ('audio', 'video'):
        pub = Peer('pub-' + kind, kind)
        sub = Peer('sub-' + kind, kind, gen.delays[kind])
        gen.subs[kind].append(sub)
        sub.pipe.set_state(Gst.State.PLAYING)
        pub.candidate_sink = lambda m, c, s=sub: c and GLib.idle_add(s.add_candidate, m, c)
        sub.candidate_sink = lambda m, c, p=pub: c and GLib.idle_add(p.add_candidate, m, c)

        def on_offer(sdp, pub=pub, sub=sub):
            def answer():
                sub.create('create-answer', lambda a: pub.set_remote(GstWebRTC.WebRTCSDPType.ANSWER, a))

            sub.set_remote(GstWebRTC.WebRTCSDPType.OFFER, sdp, answer)

        pub.start_publisher(gen.sender(kind), on_offer)
    loop = GLib.MainLoop()
    base = {}

    def warmed_up():
        # Packets queued or dropped while ICE and DTLS came up are not the generator's steady state.
        for kind, peers in gen.subs.items():
            base[kind] = (peers[0].inbound(), gen.senders[kind].sent)
            gen.delays[kind][:] = []
        GLib.timeout_add(int(seconds * 1000), finish)
        return False

    def finish():
        for kind, peers in gen.subs.items():
            (received0, lost0), sent0 = base[kind]
            received, lost = peers[0].inbound()
            d = sorted(gen.delays[kind]) or [0.0]
            result[kind] = {
                'packets': received - received0,
                'lost': lost - lost0,
                'sent': gen.senders[kind].sent - sent0,
                'delayP50Ms': round(d[len(d) // 2], 3),
                'delayP99Ms': round(d[min(len(d) - 1, int(len(d) * 0.99))], 3),
                'samples': len(gen.delays[kind]),
            }
        loop.quit()
        return False

    GLib.timeout_add(3000, warmed_up)
    loop.run()
    print(json.dumps({'selftest': result}))
    sys.stdout.flush()
    os._exit(0)


def main():
    Gst.init(None)
    needed = ('webrtcbin', 'nicesrc', 'dtlssrtpenc', 'vp8enc', 'opusenc')
    missing = [f for f in needed if not Gst.ElementFactory.find(f)]
    if missing:
        sys.stderr.write('missing GStreamer elements: ' + ', '.join(missing) + '\n')
        sys.exit(3)
    if len(sys.argv) >= 3 and sys.argv[1] == '--selftest':
        selftest(float(sys.argv[2]))
    gen = Generator()
    threading.Thread(target=read_stdin, args=(gen,), daemon=True).start()
    emit(ev='ready', pid=os.getpid())
    GLib.MainLoop().run()


if __name__ == '__main__':
    main()
