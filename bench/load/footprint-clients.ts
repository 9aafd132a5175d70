/**
 * The client side of `footprint.ts`, forked as its own process so its sockets and memory stay out of
 * the server's figures: it opens one `ws` connection per credential, authenticates, and then idles
 * in the `client` heartbeat mode (a protocol `ping` frame every hello.heartbeatMs, as the SDK did
 * before it asked the server to drive the beats; `ws` answers the server's pings itself). Memory is
 * what this measures, and the mode does not change it. The parent talks to it over IPC.
 */
import WebSocket from 'ws';
import { PROTOCOL_VERSION } from '@zhixin/protocol';
import type { Credential } from './types.ts';

export type ClientsCommand =
  { type: 'open'; port: number; credentials: Credential[]; concurrency: number } | { type: 'close' };

export type ClientsReport =
  | { type: 'opened'; established: number; failed: number; samples: string[]; seconds: number }
  | { type: 'dropped'; count: number };

const sockets: WebSocket[] = [];
let established = 0;
let dropped = 0;
let closing = false;

function send(report: ClientsReport): void {
  process.send?.(report);
}

/** One connection: upgrade, auth, wait for hello; resolves true when it is open. */
function openOne(port: number, cred: Credential): Promise<string | null> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`, { perMessageDeflate: false });
    let helloSeen = false;
    ws.on('open', () =>
      ws.send(JSON.stringify({ type: 'auth', v: PROTOCOL_VERSION, accessToken: cred.accessToken })),
    );
    ws.on('message', (data) => {
      if (helloSeen) return;
      const text = data.toString();
      if (!text.startsWith('{"type":"hello"')) return resolve(`no hello: ${text.slice(0, 120)}`);
      helloSeen = true;
      established++;
      sockets.push(ws);
      const { heartbeatMs } = JSON.parse(text) as { heartbeatMs: number };
      // Spread the pings over the period, as clients that connected at different times are.
      const startIn = Math.random() * heartbeatMs;
      setTimeout(() => {
        const timer = setInterval(() => {
          if (ws.readyState === WebSocket.OPEN) ws.send(`{"type":"ping","t":${Date.now()}}`);
        }, heartbeatMs);
        ws.once('close', () => clearInterval(timer));
      }, startIn).unref();
      resolve(null);
    });
    ws.on('error', (err) => resolve(`error: ${err.message}`));
    ws.on('close', (code) => {
      if (!helloSeen) return resolve(`closed before hello: ${code}`);
      if (!closing) send({ type: 'dropped', count: ++dropped });
    });
  });
}

async function openAll(port: number, credentials: Credential[], concurrency: number): Promise<void> {
  const started = performance.now();
  let next = 0;
  let failed = 0;
  const samples: string[] = [];
  const lane = async () => {
    while (next < credentials.length) {
      const cred = credentials[next++] as Credential;
      const error = await openOne(port, cred);
      if (error === null) continue;
      failed++;
      if (samples.length < 5) samples.push(error);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  send({ type: 'opened', established, failed, samples, seconds: (performance.now() - started) / 1000 });
}

process.on('message', (cmd: ClientsCommand) => {
  if (cmd.type === 'open') void openAll(cmd.port, cmd.credentials, cmd.concurrency);
  else {
    closing = true;
    for (const ws of sockets) ws.terminate();
    process.exit(0);
  }
});
process.on('disconnect', () => process.exit(0));
