import { Agent, request } from 'node:http';

/**
 * REST calls of a benchmark from a source address of its own (127.0.0.x), not the default 127.0.0.1.
 *
 * Why: the load agents bind each connection to a port they pick themselves
 * (bench/load/local-ports.ts). They first went round the kernel's ephemeral range, and Linux never
 * hands a port that has a bind() bucket (live or in TIME_WAIT) to an unbound connect(), whatever the
 * addresses: after a 40,000-client reconnect storm a plain fetch to 127.0.0.1 failed with
 * EADDRNOTAVAIL (2026-11-30: all 100 away-message checks of `reconnect --n 40000`). The agents now
 * bind outside that range; checks from an address of their own stay clear of the agents' sockets
 * whatever the agents do.
 */
export class RestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export class RestFrom {
  private readonly agent: Agent;

  constructor(
    private readonly base: URL,
    private readonly localAddress: string,
  ) {
    this.agent = new Agent({ keepAlive: true, maxSockets: 64 });
  }

  /** JSON in, JSON out as one user; throws RestError on an error answer. */
  call<T>(token: string, method: string, path: string, body?: unknown): Promise<T> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise<T>((resolve, reject) => {
      const req = request(
        {
          host: this.base.hostname,
          port: this.base.port,
          path: `/api/v1${path}`,
          method,
          agent: this.agent,
          localAddress: this.localAddress,
          headers: {
            authorization: `Bearer ${token}`,
            ...(payload === undefined
              ? {}
              : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }),
          },
        },
        (res) => {
          const parts: Buffer[] = [];
          res.on('data', (b: Buffer) => parts.push(b));
          res.on('error', reject);
          res.on('end', () => {
            const text = Buffer.concat(parts).toString('utf8');
            const status = res.statusCode ?? 0;
            if (status >= 200 && status < 300) {
              try {
                resolve(JSON.parse(text) as T);
              } catch (err) {
                reject(err instanceof Error ? err : new Error(String(err)));
              }
              return;
            }
            reject(
              new RestError(status, errorCode(text), `${method} ${path}: ${status} ${text.slice(0, 200)}`),
            );
          });
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/** The `error.code` of an error answer, or what stood in its place. */
function errorCode(text: string): string {
  try {
    const body = JSON.parse(text) as { error?: { code?: unknown } };
    return String(body.error?.code ?? 'none');
  } catch {
    return 'unparsed';
  }
}
