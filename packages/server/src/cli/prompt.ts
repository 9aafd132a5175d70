import type { Readable, Writable } from 'node:stream';

/** What a CLI command reads from and writes to: the terminal, or pipes (automation and tests). */
export interface CliIo {
  input: Readable & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };
  output: Writable;
  error: Writable;
}

export const processIo = (): CliIo => ({
  input: process.stdin,
  output: process.stdout,
  error: process.stderr,
});

/**
 * Questions and answers for `zhixin unseal` and `zhixin keys`. On a terminal a secret is read in raw
 * mode without echo; from a pipe every answer is the next line (so automation can pipe passwords in).
 */
export class Prompter {
  private buffered = '';
  private ended = false;
  private waiting: (() => void) | undefined;
  private readonly onData = (chunk: Buffer | string) => {
    this.buffered += chunk.toString();
    this.wake();
  };
  private readonly onEnd = () => {
    this.ended = true;
    this.wake();
  };

  constructor(private readonly io: CliIo) {
    if (!this.tty) {
      io.input.on('data', this.onData);
      io.input.on('end', this.onEnd);
    }
  }

  private get tty(): boolean {
    return Boolean(this.io.input.isTTY && this.io.input.setRawMode);
  }

  private wake(): void {
    const w = this.waiting;
    this.waiting = undefined;
    w?.();
  }

  /** The next line of piped input; an error when input ends first. */
  private async nextLine(): Promise<string> {
    for (;;) {
      const nl = this.buffered.indexOf('\n');
      if (nl >= 0) {
        const line = this.buffered.slice(0, nl).replace(/\r$/, '');
        this.buffered = this.buffered.slice(nl + 1);
        return line;
      }
      if (this.ended) {
        if (this.buffered) {
          const line = this.buffered;
          this.buffered = '';
          return line;
        }
        throw new Error('input ended before every answer was given');
      }
      await new Promise<void>((r) => (this.waiting = r));
    }
  }

  private readTty(echo: boolean): Promise<string> {
    const { input, output } = this.io;
    return new Promise((resolve, reject) => {
      let value = '';
      const finish = (err?: Error) => {
        input.setRawMode?.(false);
        input.pause();
        input.off('data', onData);
        output.write('\n');
        if (err) reject(err);
        else resolve(value);
      };
      const onData = (chunk: Buffer | string) => {
        for (const ch of chunk.toString()) {
          if (ch === '\r' || ch === '\n') return finish();
          if (ch === '\u0003' || ch === '\u0004') return finish(new Error('cancelled'));
          if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
          else {
            value += ch;
            if (echo) output.write(ch);
          }
        }
      };
      input.setRawMode?.(true);
      input.on('data', onData);
      input.resume();
    });
  }

  /** Ask and read one line, echoed on a terminal. */
  async ask(question: string): Promise<string> {
    this.io.output.write(question);
    return this.tty ? this.readTty(true) : this.nextLine();
  }

  /** Ask for a secret: never echoed on a terminal. */
  async askSecret(question: string): Promise<string> {
    this.io.output.write(question);
    if (this.tty) return this.readTty(false);
    const line = await this.nextLine();
    this.io.output.write('\n');
    return line;
  }

  close(): void {
    this.io.input.off('data', this.onData);
    this.io.input.off('end', this.onEnd);
    if (!this.tty) this.io.input.pause();
  }
}
