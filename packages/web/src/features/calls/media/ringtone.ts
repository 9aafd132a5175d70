/**
 * The ringtone, made with WebAudio (no audio file): two tones of a classic phone ring, 0.4 s on,
 * 0.2 s off, 0.4 s on, 2 s off, repeated until stopped. `outgoing` plays the ring-back tone the
 * caller hears instead (one 425 Hz tone, 1 s on, 4 s off).
 */
export class Ringtone {
  private context: AudioContext | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly kind: 'incoming' | 'outgoing') {}

  start(): void {
    if (this.context || typeof AudioContext === 'undefined') return;
    const context = (this.context = new AudioContext());
    const period = this.kind === 'incoming' ? 3000 : 5000;
    const ring = () => {
      const now = context.currentTime;
      if (this.kind === 'incoming') {
        this.burst(now, 0.4, [440, 480]);
        this.burst(now + 0.6, 0.4, [440, 480]);
      } else {
        this.burst(now, 1, [425]);
      }
    };
    // Browsers start an AudioContext suspended until the page had a gesture; resume when allowed.
    void context.resume().catch(() => undefined);
    ring();
    this.timer = setInterval(ring, period);
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    void this.context?.close().catch(() => undefined);
    this.context = undefined;
  }

  get playing(): boolean {
    return this.context !== undefined;
  }

  private burst(at: number, seconds: number, frequencies: number[]): void {
    const context = this.context;
    if (!context) return;
    const gain = context.createGain();
    gain.gain.setValueAtTime(0, at);
    gain.gain.linearRampToValueAtTime(0.15, at + 0.02);
    gain.gain.setValueAtTime(0.15, at + seconds - 0.02);
    gain.gain.linearRampToValueAtTime(0, at + seconds);
    gain.connect(context.destination);
    for (const f of frequencies) {
      const osc = context.createOscillator();
      osc.frequency.value = f;
      osc.connect(gain);
      osc.start(at);
      osc.stop(at + seconds);
    }
  }
}
