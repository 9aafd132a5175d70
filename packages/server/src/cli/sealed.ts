import { existsSync, readFileSync, unlinkSync, chmodSync } from 'node:fs';
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { connect, createServer as createNetServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { ErrorCatalog } from '@zhixin/protocol';
import type { Config } from '../config.ts';
import { isAppError } from '../errors.ts';
import { type Kek, KeyStoreRepo } from '../platform/crypto/index.ts';
import { unlockKek } from '../platform/crypto/master.ts';
import { migrateToLatest, openDatabase } from '../platform/db/index.ts';
import type { Logger } from '../platform/logger.ts';
import { databaseUrlOf } from '../platform/platform.ts';

/** Where `zhixin unseal` finds a sealed server: owner-only, beside the database. */
export const unsealSocketPath = (config: Config): string => join(config.dataDir, 'unseal.sock');
/** A custodian's password waits this long for the other one, then is forgotten. */
const UNSEAL_WINDOW_MS = 10 * 60_000;
const MAX_LINE_BYTES = 4096;

/** One line of JSON each way on the unseal socket. */
export interface UnsealRequest {
  custodian: 1 | 2;
  password: string;
}
export type UnsealReply =
  | { ok: true; unsealed: boolean; received: number[]; message: string }
  | { ok: false; error: { code: string; message: string } };

const SEALED_BODY = JSON.stringify({ error: { code: 'SEALED', message: ErrorCatalog.SEALED.message } });

function answerSealed(_req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(503, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'retry-after': '30',
    // No keep-alive: this listener goes away at unseal, and a client must not reuse a socket it closed.
    connection: 'close',
  });
  res.end(SEALED_BODY);
}

/**
 * While sealed, the HTTP port answers every request (/healthz, /readyz, /api/...) with 503 SEALED and
 * refuses WebSocket upgrades, so load balancers and clients see why instead of a refused connection.
 */
export async function serveSealed(config: Config): Promise<{ port: number; close(): Promise<void> }> {
  const { certFile, keyFile } = config.tls;
  const server: Server =
    certFile && keyFile
      ? createHttpsServer(
          { cert: readFileSync(certFile), key: readFileSync(keyFile), minVersion: 'TLSv1.2' },
          answerSealed,
        )
      : createHttpServer(answerSealed);
  server.on('upgrade', (_req: IncomingMessage, socket: Socket) => {
    socket.end(
      `HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(SEALED_BODY)}\r\nconnection: close\r\n\r\n${SEALED_BODY}`,
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const addr = server.address();
  return {
    port: typeof addr === 'object' && addr ? addr.port : config.port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Whether something already answers on a Unix socket (a live sealed server, not a stale file). */
function socketAnswers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(path);
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

export interface UnsealListener {
  readonly socketPath: string;
  /** Resolves with the KEK once both custodians gave matching passwords. */
  readonly unsealed: Promise<Kek>;
  close(): Promise<void>;
}

/**
 * Collect the two custodian passwords on `<dataDir>/unseal.sock` (mode 0600). After the second one the
 * master key is derived and checked: a wrong pair is discarded whole (the server stays sealed); a right
 * pair yields the KEK, the passwords are dropped and the socket closes.
 */
export async function listenForUnseal(config: Config, log: Logger): Promise<UnsealListener> {
  const socketPath = unsealSocketPath(config);
  if (existsSync(socketPath)) {
    if (await socketAnswers(socketPath)) throw new Error(`another sealed server listens on ${socketPath}`);
    unlinkSync(socketPath);
  }
  const given = new Map<1 | 2, { password: string; at: number }>();
  let verifying = false;
  let resolveKek: (kek: Kek) => void = () => {};
  const unsealed = new Promise<Kek>((r) => (resolveKek = r));

  async function verify(): Promise<Kek> {
    const database = openDatabase({ url: databaseUrlOf(config) });
    try {
      await migrateToLatest(database);
      const store = new KeyStoreRepo(database.db, database.dialect);
      return await unlockKek(store, given.get(1)!.password, given.get(2)!.password, config.security.kdfLogN);
    } finally {
      await database.close();
    }
  }

  async function handle(req: UnsealRequest): Promise<UnsealReply> {
    if (verifying)
      return { ok: false, error: { code: 'CONFLICT', message: 'Checking the passwords; try again' } };
    for (const [n, g] of given) if (Date.now() - g.at > UNSEAL_WINDOW_MS) given.delete(n);
    given.set(req.custodian, { password: req.password, at: Date.now() });
    if (given.size < 2) {
      log.info({ custodian: req.custodian }, 'unseal: custodian password received (1 of 2)');
      return { ok: true, unsealed: false, received: [...given.keys()], message: '1 of 2' };
    }
    verifying = true;
    try {
      const kek = await verify();
      log.info('unseal: both custodian passwords match; unsealing');
      resolveKek(kek);
      return { ok: true, unsealed: true, received: [1, 2], message: 'unsealed' };
    } catch (err) {
      log.warn(
        { code: isAppError(err) ? err.code : 'INTERNAL' },
        'unseal: the custodian passwords do not match',
      );
      const message = isAppError(err) ? err.message : 'The passwords could not be checked';
      return { ok: false, error: { code: isAppError(err) ? err.code : 'INTERNAL', message } };
    } finally {
      // Both are forgotten either way: after a mismatch each custodian gives theirs again.
      given.clear();
      verifying = false;
    }
  }

  const server = createNetServer((socket) => {
    let buffered = '';
    socket.setEncoding('utf8');
    socket.on('error', () => socket.destroy());
    // A client that connects and says nothing does not hold a connection for ever.
    socket.setTimeout(60_000, () => socket.destroy());
    socket.on('data', (chunk: string) => {
      buffered += chunk;
      if (buffered.length > MAX_LINE_BYTES) return void socket.destroy();
      const nl = buffered.indexOf('\n');
      if (nl < 0) return;
      const line = buffered.slice(0, nl);
      buffered = '';
      const req = parseRequest(line);
      const reply: Promise<UnsealReply> = req
        ? handle(req)
        : Promise.resolve({
            ok: false,
            error: { code: 'VALIDATION_FAILED', message: 'Expected {"custodian":1|2,"password":"..."}' },
          });
      void reply.then((r) => socket.end(`${JSON.stringify(r)}\n`));
    });
  });
  // Owner-only from the moment the socket exists (the umask applies to bind), and again to be sure.
  const umask = process.umask(0o177);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(socketPath, () => resolve());
    });
  } finally {
    process.umask(umask);
  }
  chmodSync(socketPath, 0o600);
  const close = () =>
    new Promise<void>((resolve) => {
      given.clear();
      server.close(() => resolve());
    });
  void unsealed.then(close);
  return { socketPath, unsealed, close };
}

function parseRequest(line: string): UnsealRequest | null {
  try {
    const v = JSON.parse(line) as { custodian?: unknown; password?: unknown };
    if ((v.custodian === 1 || v.custodian === 2) && typeof v.password === 'string' && v.password.length > 0)
      return { custodian: v.custodian, password: v.password };
  } catch {
    // Not JSON: answered as a validation error below.
  }
  return null;
}
