import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

interface Part {
  number: number;
  etag: string;
  size: number;
}

const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * A pass-through proxy in front of s3rver that adds what s3rver lacks and @tus/s3-store calls after
 * every create and write: ListParts (`GET /<bucket>/<key>?uploadId=…`), answered from the parts
 * it saw uploaded through it, and NoSuchUpload once the upload was completed or aborted. Every
 * other request, signature and Host header included, reaches s3rver unchanged.
 */
export class ListPartsProxy {
  private readonly parts = new Map<string, Part[]>();
  private readonly closed = new Set<string>();
  private server: Server | null = null;
  /** ListParts calls answered: proves the tus store went through this proxy. */
  listed = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  async start(): Promise<string> {
    this.server = createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://proxy');
    const uploadId = url.searchParams.get('uploadId');
    const partNumber = url.searchParams.get('partNumber');
    if (req.method === 'GET' && uploadId && !partNumber) return this.listParts(url, uploadId, req, res);
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
    });
    const upstream = request(
      { ...this.target, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        if (uploadId && answer.statusCode === 200) {
          if (req.method === 'PUT' && partNumber) {
            const list = (this.parts.get(uploadId) ?? []).filter((p) => p.number !== Number(partNumber));
            list.push({ number: Number(partNumber), etag: String(answer.headers.etag ?? ''), size });
            this.parts.set(uploadId, list);
          }
          // CompleteMultipartUpload (POST) or AbortMultipartUpload (DELETE): the upload is gone.
          if (req.method === 'POST' || req.method === 'DELETE') this.closed.add(uploadId);
        }
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  }

  private listParts(url: URL, uploadId: string, req: IncomingMessage, res: ServerResponse): void {
    req.resume();
    this.listed += 1;
    const [, bucket = '', ...key] = url.pathname.split('/');
    if (this.closed.has(uploadId)) {
      res.writeHead(404, { 'content-type': 'application/xml' });
      res.end(
        `<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchUpload</Code>` +
          `<Message>The specified upload does not exist.</Message><UploadId>${xml(uploadId)}</UploadId></Error>`,
      );
      return;
    }
    const parts = [...(this.parts.get(uploadId) ?? [])].sort((a, b) => a.number - b.number);
    const body =
      `<?xml version="1.0" encoding="UTF-8"?>` +
      `<ListPartsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">` +
      `<Bucket>${xml(bucket)}</Bucket><Key>${xml(decodeURIComponent(key.join('/')))}</Key>` +
      `<UploadId>${xml(uploadId)}</UploadId><IsTruncated>false</IsTruncated>` +
      parts
        .map(
          (p) =>
            `<Part><PartNumber>${p.number}</PartNumber><ETag>${xml(p.etag)}</ETag><Size>${p.size}</Size></Part>`,
        )
        .join('') +
      `</ListPartsResult>`;
    res.writeHead(200, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  }
}
