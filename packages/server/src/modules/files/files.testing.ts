import { createHash } from 'node:crypto';
import { UPLOADS_PATH } from './files.tus.ts';

/** A raw tus 1.0 client for tests: every request spelled out, so tests see the protocol itself. */
export class TusTestClient {
  constructor(
    readonly base: string,
    private readonly token: string,
  ) {}

  headers(extra: Record<string, string> = {}): Record<string, string> {
    return {
      'tus-resumable': '1.0.0',
      ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
      ...extra,
    };
  }

  /** POST: create an upload; `meta` values are base64-encoded as tus requires. */
  create(length: number, meta: Record<string, string>, body?: Buffer): Promise<Response> {
    const metadata = Object.entries(meta)
      .map(([k, v]) => `${k} ${Buffer.from(v).toString('base64')}`)
      .join(',');
    return fetch(this.base + UPLOADS_PATH, {
      method: 'POST',
      headers: this.headers({
        'upload-length': String(length),
        'upload-metadata': metadata,
        ...(body ? { 'content-type': 'application/offset+octet-stream' } : {}),
      }),
      ...(body ? { body: new Uint8Array(body) } : {}),
    });
  }

  url(location: string): string {
    return location.startsWith('http') ? location : this.base + location;
  }

  patch(
    location: string,
    offset: number,
    body: Buffer | ReadableStream<Uint8Array>,
    extra: Record<string, string> = {},
    signal?: AbortSignal,
  ): Promise<Response> {
    return fetch(this.url(location), {
      method: 'PATCH',
      headers: this.headers({
        'upload-offset': String(offset),
        'content-type': 'application/offset+octet-stream',
        ...extra,
      }),
      body: Buffer.isBuffer(body) ? new Uint8Array(body) : body,
      duplex: 'half',
      ...(signal ? { signal } : {}),
    } as RequestInit);
  }

  head(location: string): Promise<Response> {
    return fetch(this.url(location), { method: 'HEAD', headers: this.headers() });
  }

  delete(location: string): Promise<Response> {
    return fetch(this.url(location), { method: 'DELETE', headers: this.headers() });
  }

  /** Create and upload `data` in chunks; returns the file id and the final PATCH's response. */
  async upload(
    data: Buffer,
    meta: Record<string, string>,
    chunk = 256 * 1024,
  ): Promise<{ id: string; res: Response }> {
    const created = await this.create(data.length, meta);
    if (created.status !== 201) throw new Error(`create: ${created.status} ${await created.text()}`);
    const location = created.headers.get('location')!;
    let offset = 0;
    let res = created;
    while (offset < data.length) {
      res = await this.patch(location, offset, data.subarray(offset, offset + chunk));
      if (res.status !== 204) break;
      offset = Number(res.headers.get('upload-offset'));
    }
    return { id: location.split('/').pop()!, res };
  }
}

export function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Deterministic pseudo-random bytes (xorshift), the same for the same seed: large test files on the fly. */
export function pseudoRandomBytes(size: number, seed = 1): Buffer {
  const out = Buffer.alloc(Math.ceil(size / 4) * 4);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < out.length; i += 4) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out.writeUInt32LE(x, i);
  }
  return out.subarray(0, size);
}
