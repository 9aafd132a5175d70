import { execFile } from 'node:child_process';

/** Where the ffmpeg tools are; the defaults find Debian's `ffmpeg` package on PATH. */
export interface MediaTools {
  ffprobe: string;
  ffmpeg: string;
  /** Each tool run is killed after this long. */
  timeoutMs: number;
}

export const DEFAULT_TOOLS: MediaTools = { ffprobe: 'ffprobe', ffmpeg: 'ffmpeg', timeoutMs: 20_000 };

/** The largest output read from a tool (a poster frame as PNG, ffprobe's JSON). */
const MAX_OUTPUT = 32 * 1024 * 1024;

/** Run a tool with a time limit; resolves its stdout, rejects on failure, timeout or a missing binary. */
export function runTool(file: string, args: readonly string[], timeoutMs: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    execFile(
      file,
      [...args],
      {
        encoding: 'buffer',
        timeout: timeoutMs,
        killSignal: 'SIGKILL',
        maxBuffer: MAX_OUTPUT,
        windowsHide: true,
      },
      (err, stdout) => (err ? reject(err) : resolve(stdout)),
    );
  });
}

/** Whether both tools run (`-version`); asked once per processor. */
export async function toolsAvailable(tools: MediaTools): Promise<boolean> {
  try {
    await runTool(tools.ffprobe, ['-version'], tools.timeoutMs);
    await runTool(tools.ffmpeg, ['-version'], tools.timeoutMs);
    return true;
  } catch {
    return false;
  }
}
