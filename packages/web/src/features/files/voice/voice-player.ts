import { create } from 'zustand';

/** One voice message plays at a time: starting another stops the one playing. */
export const useVoicePlayer = create<{ playing: string | null; progress: number }>(() => ({
  playing: null,
  progress: 0,
}));

let audio: HTMLAudioElement | null = null;

export function stopVoice(): void {
  audio?.pause();
  audio = null;
  useVoicePlayer.setState({ playing: null, progress: 0 });
}

/** Play a voice message (by its file id) from an object URL; a second call on the same one stops it. */
export function toggleVoice(fileId: string, url: string): void {
  const wasPlaying = useVoicePlayer.getState().playing === fileId;
  stopVoice();
  if (wasPlaying) return;
  const el = new Audio(url);
  audio = el;
  el.ontimeupdate = () => {
    if (audio === el && Number.isFinite(el.duration) && el.duration > 0)
      useVoicePlayer.setState({ progress: el.currentTime / el.duration });
  };
  el.onended = () => audio === el && stopVoice();
  el.onerror = () => audio === el && stopVoice();
  useVoicePlayer.setState({ playing: fileId, progress: 0 });
  void el.play().catch(() => audio === el && stopVoice());
}
