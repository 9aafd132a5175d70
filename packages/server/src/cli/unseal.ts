import { connect } from 'node:net';
import type { Config } from '../config.ts';
import { processIo, Prompter, type CliIo } from './prompt.ts';
import { unsealSocketPath, type UnsealReply } from './sealed.ts';

/** Send one custodian's password to the sealed server on this host; the server's one-line answer. */
export function sendUnseal(socketPath: string, custodian: 1 | 2, password: string): Promise<UnsealReply> {
  return new Promise((resolve, reject) => {
    const socket = connect(socketPath);
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('connect', () => socket.write(`${JSON.stringify({ custodian, password })}\n`));
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.on('error', (err: NodeJS.ErrnoException) =>
      reject(
        err.code === 'ENOENT' || err.code === 'ECONNREFUSED'
          ? new Error(`no sealed server listens on ${socketPath} (is it running, and still sealed?)`)
          : err,
      ),
    );
    socket.on('end', () => {
      try {
        resolve(JSON.parse(answer) as UnsealReply);
      } catch {
        reject(new Error('the server gave no answer'));
      }
    });
  });
}

function parseCustodian(raw: string | undefined): 1 | 2 | null {
  return raw?.trim() === '1' ? 1 : raw?.trim() === '2' ? 2 : null;
}

/**
 * `zhixin unseal [--custodian 1|2]`: run by each custodian on the server host (as the service user:
 * the socket is owner-only). Prompts for the custodian number and the password without echo; from a
 * pipe it reads them as lines. Exit 0: accepted ("1 of 2") or unsealed; 3: the pair did not match.
 */
export async function runUnseal(
  config: Config,
  opts: { custodian?: string | undefined },
  io: CliIo = processIo(),
): Promise<number> {
  const prompt = new Prompter(io);
  try {
    let custodian = parseCustodian(opts.custodian);
    if (opts.custodian !== undefined && !custodian) {
      io.error.write('zhixin unseal: --custodian must be 1 or 2\n');
      return 2;
    }
    custodian ??= parseCustodian(await prompt.ask('Custodian (1 or 2): '));
    if (!custodian) {
      io.error.write('zhixin unseal: the custodian is 1 or 2\n');
      return 2;
    }
    const password = await prompt.askSecret(`Password of custodian ${custodian}: `);
    if (!password) {
      io.error.write('zhixin unseal: empty password\n');
      return 2;
    }
    const reply = await sendUnseal(unsealSocketPath(config), custodian, password);
    if (!reply.ok) {
      io.error.write(`zhixin unseal: ${reply.error.code}: ${reply.error.message}\n`);
      return reply.error.code === 'SEALED' ? 3 : 1;
    }
    io.output.write(
      reply.unsealed
        ? 'Unsealed: the server is starting.\n'
        : `${reply.message}: waiting for the other custodian (zhixin unseal).\n`,
    );
    return 0;
  } catch (err) {
    io.error.write(`zhixin unseal: ${(err as Error).message}\n`);
    return 1;
  } finally {
    prompt.close();
  }
}
