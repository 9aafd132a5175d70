/** A file name for a recording: 语音-<time>.webm (the extension from the recorder's type). */
export function voiceFileName(mime: string, at = new Date()): string {
  const ext = mime.includes('ogg') ? 'ogg' : mime.includes('mp4') ? 'm4a' : 'webm';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `voice-${at.getFullYear()}${pad(at.getMonth() + 1)}${pad(at.getDate())}-${pad(at.getHours())}${pad(at.getMinutes())}${pad(at.getSeconds())}.${ext}`;
}
