import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { BenchArgs } from '../lib/args.ts';
import { seedUsers } from '../lib/seed.ts';
import { benchEnv, freePort, prepareTarget, startServer, stopServer } from '../lib/server.ts';

const MIB = 1024 * 1024;

/** Resident set size of a process in bytes, from /proc (Linux). */
function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /^VmRSS:\s+(\d+) kB$/m.exec(status);
  return kb ? Number(kb[1]) * 1024 : 0;
}

/** Sample a process's RSS every `everyMs` until stopped: the peak and the samples' count. */
function sampleRss(pid: number, everyMs = 100) {
  let peak = rssOf(pid);
  let samples = 1;
  const timer = setInterval(() => {
    peak = Math.max(peak, rssOf(pid));
    samples++;
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      return { peakBytes: Math.max(peak, rssOf(pid)), samples };
    },
  };
}

/** Deterministic bytes generated chunk by chunk (never the whole file in memory), hashed on the way. */
function generated(size: number, hash: ReturnType<typeof createHash>): ReadableStream<Uint8Array> {
  const block = Buffer.alloc(MIB);
  for (let i = 0; i < block.length; i += 4) block.writeUInt32LE((i * 2654435761) >>> 0, i);
  let sent = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= size) return controller.close();
      const n = Math.min(MIB, size - sent);
      const chunk = Buffer.from(block.subarray(0, n));
      chunk.writeUInt32LE(sent / MIB, 0);
      hash.update(chunk);
      controller.enqueue(new Uint8Array(chunk));
      sent += n;
    },
  });
}

class Api {
  constructor(
    readonly base: string,
    private readonly token: string,
  ) {}

  private tus(extra: Record<string, string>): Record<string, string> {
    return { 'tus-resumable': '1.0.0', authorization: `Bearer ${this.token}`, ...extra };
  }

  async create(length: number, name: string, body?: Uint8Array<ArrayBuffer>): Promise<string> {
    const res = await fetch(`${this.base}/api/v1/uploads`, {
      method: 'POST',
      headers: this.tus({
        'upload-length': String(length),
        'upload-metadata': `filename ${Buffer.from(name).toString('base64')}`,
        ...(body ? { 'content-type': 'application/offset+octet-stream' } : {}),
      }),
      ...(body ? { body } : {}),
    });
    if (res.status !== 201) throw new Error(`create: ${res.status} ${await res.text()}`);
    if (body && res.headers.get('upload-offset') !== String(length))
      throw new Error('creation-with-upload incomplete');
    return res.headers.get('location')!.split('/').pop()!;
  }

  async patch(id: string, body: ReadableStream<Uint8Array>): Promise<void> {
    const res = await fetch(`${this.base}/api/v1/uploads/${id}`, {
      method: 'PATCH',
      headers: this.tus({ 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' }),
      body,
      duplex: 'half',
    } as RequestInit);
    if (res.status !== 204) throw new Error(`patch: ${res.status} ${await res.text()}`);
  }

  async info(id: string): Promise<{ status: string; sha256: string | null; size: number }> {
    const res = await fetch(`${this.base}/api/v1/files/${id}`, {
      headers: { authorization: `Bearer ${this.token}` },
    });
    return (await res.json()) as { status: string; sha256: string | null; size: number };
  }

  /** Download through a signed link, streaming; returns the sha256 and the byte count. */
  async download(id: string): Promise<{ sha256: string; bytes: number }> {
    const link = await fetch(`${this.base}/api/v1/files/${id}/link`, {
      method: 'POST',
      headers: { authorization: `Bearer ${this.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({}),
    });
    const { url } = (await link.json()) as { url: string };
    const res = await fetch(this.base + url);
    if (res.status !== 200 || !res.body) throw new Error(`download: ${res.status}`);
    const hash = createHash('sha256');
    let bytes = 0;
    for await (const chunk of res.body) {
      hash.update(chunk);
      bytes += chunk.length;
    }
    return { sha256: hash.digest('hex'), bytes };
  }
}

async function inParallel<T>(items: T[], width: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

const mbps = (bytes: number, ms: number) => Math.round((bytes / MIB / (ms / 1000)) * 10) / 10;

/**
 * `npm run bench -- files [--size MiB] [--n N] [--small-kib K] [--target sqlite|pg]`: one large
 * upload (default 1 GiB) in a single streamed PATCH and its download, with the server's RSS sampled
 * from /proc during the upload; then N small files (default 500 × 64 KiB, creation-with-upload,
 * 8 at a time) up and down. The server runs as its own process (`zhixin start`), storage on disk.
 */
export async function runFilesBench(args: BenchArgs) {
  const sizeMiB = Number(args.flags.size ?? 1024);
  const small = Number(args.flags.n ?? 500);
  const smallBytes = Number(args.flags['small-kib'] ?? 64) * 1024;
  const targetName = String(args.flags.target ?? 'sqlite') === 'pg' ? 'pg' : 'sqlite';
  const target = await prepareTarget(targetName);
  const [user] = await seedUsers(target, 1, 2);
  const port = await freePort();
  const server = await startServer(benchEnv(target, port, 1), port);
  try {
    const api = new Api(`http://127.0.0.1:${port}`, user!.accessToken);
    const pid = server.pid!;
    const idleRss = rssOf(pid);
    const size = sizeMiB * MIB;
    console.error(`[files] uploading ${sizeMiB} MiB in one streamed PATCH…`);
    const hash = createHash('sha256');
    const rss = sampleRss(pid);
    const t0 = performance.now();
    const bigId = await api.create(size, 'big.bin');
    await api.patch(bigId, generated(size, hash));
    const uploadMs = performance.now() - t0;
    const memory = rss.stop();
    const expected = hash.digest('hex');
    const info = await api.info(bigId);
    if (info.status !== 'ready' || info.sha256 !== expected)
      throw new Error(`big file: ${JSON.stringify(info)}`);
    console.error(`[files] downloading it…`);
    const t1 = performance.now();
    const down = await api.download(bigId);
    const downloadMs = performance.now() - t1;
    if (down.sha256 !== expected || down.bytes !== size) throw new Error('big file download differs');

    console.error(`[files] ${small} × ${smallBytes / 1024} KiB up…`);
    const bodies = Array.from({ length: small }, (_, i) => {
      const b = Buffer.alloc(smallBytes, i % 251);
      b.writeUInt32LE(i, 0);
      return b;
    });
    const ids: string[] = [];
    const t2 = performance.now();
    await inParallel(
      bodies.map((b, i) => ({ b, i })),
      8,
      async ({ b, i }) => {
        ids[i] = await api.create(b.length, `small-${i}.bin`, new Uint8Array(b));
      },
    );
    const smallUpMs = performance.now() - t2;
    console.error(`[files] … and down`);
    const t3 = performance.now();
    await inParallel(
      ids.map((id, i) => ({ id, i })),
      8,
      async ({ id, i }) => {
        const d = await api.download(id);
        if (d.bytes !== smallBytes) throw new Error(`small file ${i}: ${d.bytes} bytes`);
      },
    );
    const smallDownMs = performance.now() - t3;
    const result = {
      scenario: 'files',
      target: targetName,
      machine: {
        cpus: cpus().length,
        cpuModel: cpus()[0]?.model ?? 'unknown',
        memGiB: Math.round(totalmem() / 1024 ** 3),
      },
      large: {
        bytes: size,
        uploadMs: Math.round(uploadMs),
        uploadMiBps: mbps(size, uploadMs),
        downloadMs: Math.round(downloadMs),
        downloadMiBps: mbps(size, downloadMs),
        serverRssIdleMiB: Math.round(idleRss / MIB),
        serverRssPeakMiB: Math.round(memory.peakBytes / MIB),
        rssSamples: memory.samples,
        /** Peak RSS growth per byte uploaded: far below 1 means the upload streamed. */
        rssGrowthPerUploadedByte: Math.round(((memory.peakBytes - idleRss) / size) * 1000) / 1000,
      },
      small: {
        files: small,
        bytesEach: smallBytes,
        uploadMs: Math.round(smallUpMs),
        uploadFilesPerSec: Math.round(small / (smallUpMs / 1000)),
        uploadMiBps: mbps(small * smallBytes, smallUpMs),
        downloadMs: Math.round(smallDownMs),
        downloadFilesPerSec: Math.round(small / (smallDownMs / 1000)),
        downloadMiBps: mbps(small * smallBytes, smallDownMs),
      },
    };
    console.error(
      `[files] large ${sizeMiB} MiB: up ${result.large.uploadMiBps} MiB/s, down ${result.large.downloadMiBps} MiB/s; ` +
        `server RSS idle ${result.large.serverRssIdleMiB} MiB, peak ${result.large.serverRssPeakMiB} MiB during upload\n` +
        `[files] small ${small} × ${smallBytes / 1024} KiB: up ${result.small.uploadFilesPerSec} files/s ` +
        `(${result.small.uploadMiBps} MiB/s), down ${result.small.downloadFilesPerSec} files/s (${result.small.downloadMiBps} MiB/s)`,
    );
    return result;
  } finally {
    await stopServer(server);
  }
}
