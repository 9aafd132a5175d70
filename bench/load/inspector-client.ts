import { createWriteStream } from 'node:fs';
import WebSocket from 'ws';

/**
 * A minimal client of a Node process's inspector (started with `--inspect=127.0.0.1:<port>`): force a
 * GC, read `process.memoryUsage()` and the active handles, stream a heap snapshot to a file. The
 * footprint script measures the server with it instead of a debug route in the product.
 */
export interface InspectedMemory {
  rss: number;
  heapTotal: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
  /** process.getActiveResourcesInfo() counted by kind (Timeout, TCPWRAP, ...). */
  resources: Record<string, number>;
}

interface Pending {
  resolve(result: unknown): void;
  reject(err: Error): void;
}

interface InspectorMessage {
  id?: number;
  method?: string;
  params?: { chunk?: string };
  result?: unknown;
  error?: { message: string };
}

export class InspectorClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private onChunk: ((chunk: string) => void) | undefined;

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const msg = JSON.parse(data.toString()) as InspectorMessage;
      if (msg.method === 'HeapProfiler.addHeapSnapshotChunk') this.onChunk?.(msg.params?.chunk ?? '');
      if (msg.id === undefined) return;
      const p = this.pending.get(msg.id);
      this.pending.delete(msg.id);
      if (msg.error) p?.reject(new Error(msg.error.message));
      else p?.resolve(msg.result);
    });
  }

  /** Attach to the inspector listening on 127.0.0.1:port (its first target). */
  static async connect(port: number): Promise<InspectorClient> {
    const res = await fetch(`http://127.0.0.1:${port}/json/list`);
    const [target] = (await res.json()) as Array<{ webSocketDebuggerUrl: string }>;
    if (!target) throw new Error(`no inspector target on port ${port}`);
    const ws = new WebSocket(target.webSocketDebuggerUrl, { maxPayload: 1 << 30 });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return new InspectorClient(ws);
  }

  call<T = unknown>(method: string, params: Record<string, unknown> = {}): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: (r) => resolve(r as T), reject });
      this.ws.send(JSON.stringify({ id, method, params }));
    });
  }

  /** Two full collections (the second frees what finalizers of the first released), then memory. */
  async memoryAfterGc(): Promise<InspectedMemory> {
    await this.call('HeapProfiler.collectGarbage');
    await this.call('HeapProfiler.collectGarbage');
    const expression = `JSON.stringify({ ...process.memoryUsage(), resources: process.getActiveResourcesInfo()
      .reduce((acc, kind) => ((acc[kind] = (acc[kind] ?? 0) + 1), acc), {}) })`;
    const out = await this.call<{ result: { value: string } }>('Runtime.evaluate', {
      expression,
      returnByValue: true,
    });
    return JSON.parse(out.result.value) as InspectedMemory;
  }

  /** Stream a heap snapshot (after a GC: the snapshot collects first) into `path`. */
  async heapSnapshot(path: string): Promise<void> {
    const file = createWriteStream(path);
    this.onChunk = (chunk) => file.write(chunk);
    try {
      await this.call('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
    } finally {
      this.onChunk = undefined;
      await new Promise<void>((resolve, reject) =>
        file.end((err?: Error | null) => (err ? reject(err) : resolve())),
      );
    }
  }

  close(): void {
    this.ws.close();
  }
}
