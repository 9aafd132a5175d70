import { connect, type Socket } from 'node:net';
import type { Readable } from 'node:stream';

/** clamd's verdict on one stream. */
export type ScanVerdict = { clean: true } | { clean: false; signature: string };

export class ScannerUnavailable extends Error {
  constructor(cause: unknown) {
    super(`clamd unavailable: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

const CHUNK = 64 * 1024;

function write(socket: Socket, data: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.write(data, (err) => (err ? reject(err) : resolve()));
  });
}

/**
 * Scan a stream with clamd over its UNIX socket (`zINSTREAM`: 4-byte big-endian length, chunk, …,
 * zero length). Throws ScannerUnavailable when clamd cannot be reached, answers an error (e.g. its
 * StreamMaxLength) or does not answer within `timeoutMs`.
 */
export async function clamdScan(socketPath: string, body: Readable, timeoutMs: number): Promise<ScanVerdict> {
  const socket = connect(socketPath);
  const replyChunks: Buffer[] = [];
  const reply = new Promise<string>((resolve, reject) => {
    socket.on('data', (d: Buffer) => replyChunks.push(d));
    socket.on('end', () => resolve(Buffer.concat(replyChunks).toString('utf8')));
    socket.on('error', reject);
  });
  // clamd may close early (size limit) while we still write: the reply says why.
  reply.catch(() => undefined);
  const timer = setTimeout(() => socket.destroy(new Error(`no answer in ${timeoutMs} ms`)), timeoutMs);
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    await write(socket, Buffer.from('zINSTREAM\0'));
    for await (const chunk of body) {
      const buf = chunk as Buffer;
      for (let at = 0; at < buf.length; at += CHUNK) {
        const part = buf.subarray(at, at + CHUNK);
        const len = Buffer.alloc(4);
        len.writeUInt32BE(part.length);
        await write(socket, Buffer.concat([len, part]));
      }
    }
    await write(socket, Buffer.alloc(4));
    const text = (await reply).replace(/\0/g, '').trim();
    const found = /^stream: (.+) FOUND$/.exec(text);
    if (found) return { clean: false, signature: found[1]! };
    if (text === 'stream: OK') return { clean: true };
    throw new Error(`unexpected answer ${JSON.stringify(text)}`);
  } catch (err) {
    if (err instanceof ScannerUnavailable) throw err;
    // A verdict that arrived before a write failed still counts.
    const text = Buffer.concat(replyChunks).toString('utf8').replace(/\0/g, '').trim();
    const found = /^stream: (.+) FOUND$/.exec(text);
    if (found) return { clean: false, signature: found[1]! };
    throw new ScannerUnavailable(err);
  } finally {
    clearTimeout(timer);
    socket.destroy();
    body.destroy();
  }
}
